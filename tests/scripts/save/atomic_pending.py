# A preemption that falls due inside an atomic section waits for the
# section's end (Stackless's pending interrupt). Here the sections wait for
# the next frame inside them, so a preemption that fell due in one is still
# pending when the frame ends and a save is taken. A supervisor runs the
# workers under watchdogs: a hard one whose timeout falls inside the
# sections, and a soft one, which a pending interrupt ends at the worker's
# next voluntary switch.
import spindle
import stackless

names = {}


def worker(name, length):
    rounds = 0
    total = 0
    while True:
        with stackless.atomic():
            for j in range(length):
                total += j
            spindle.next_frame()
            total += 1
        rounds += 1
        print(spindle.frame(), name, rounds, total)
        stackless.schedule()


def supervisor():
    while True:
        spindle.next_frame()
        got = stackless.run(25)
        print(spindle.frame(), "hard run:", names.get(got, got))
        spindle.next_frame()
        got = stackless.run(100000, soft=True)
        print(spindle.frame(), "soft run:", names.get(got, got))


stackless.tasklet(supervisor)()
for name, length in [("a", 12), ("b", 3), ("c", 7)]:
    names[stackless.tasklet(worker)(name, length)] = name
