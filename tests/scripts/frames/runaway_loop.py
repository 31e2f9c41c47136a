# An agent stuck in an endless loop is preempted by its time slice, so the
# others keep their frames; once it has run past the runaway limit (.args:
# --runaway) without ever waiting, RuntimeError ends it where it spins, and
# the game goes on. Main itself has no limit: a batch script may compute.
import spindle
import stackless


def steady(name):
    while True:
        print(name, spindle.frame())
        spindle.next_frame()


def spinner():
    n = 0
    while True:
        n += 1


def survivor():
    try:
        while True:
            pass
    except RuntimeError as e:
        print("survivor caught:", e)
    spindle.next_frame()
    print("survivor waits normally in frame", spindle.frame())


stackless.tasklet(steady)("a")
stackless.tasklet(spinner)()
stackless.tasklet(survivor)()
stackless.tasklet(steady)("b")
total = 0
for i in range(200000):  # main computes well past the limit: allowed
    total += i
print("main computed", total)
