# A memory bomb in one agent ends that agent with MemoryError (its
# traceback goes to the host); the other agents keep running, frame after
# frame, and the memory the bomb held comes back.
import spindle
import stackless

counts = [0, 0]


def steady(slot):
    while True:
        counts[slot] += 1
        spindle.next_frame()


def bomb():
    hoard = []
    while True:
        hoard.append([0] * 10000)


def report():
    while True:
        spindle.sleep(5)
        print("frame", spindle.frame(), "counts", counts)


stackless.tasklet(steady)(0)
stackless.tasklet(bomb)()
stackless.tasklet(steady)(1)
stackless.tasklet(report)()
