# In the frame loop, a tasklet that dies of an uncaught exception is
# reported with its traceback and the other tasklets go on in the same
# frame and the next ones; SystemExit from a tasklet ends the run with its
# code.
import spindle
import stackless


def steady(name):
    while True:
        print(name, "frame", spindle.frame())
        spindle.next_frame()


def faulty():
    spindle.next_frame()
    print("faulty divides by zero in frame", spindle.frame())
    return 1 / 0


def quitter():
    spindle.sleep(3)
    print("quitter exits in frame", spindle.frame())
    raise SystemExit(3)


stackless.tasklet(steady)("a")
stackless.tasklet(faulty)()
stackless.tasklet(steady)("b")
stackless.tasklet(quitter)()
