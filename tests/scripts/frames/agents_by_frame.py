# Frame ticks for scripts: agents wake on their frame, in FIFO order, and a
# runaway agent is preempted by the time slice without stalling the others.
import stackless
import spindle

log = []

def walker(name, period):
    for step in range(3):
        spindle.sleep(period)
        print("frame", spindle.frame(), name, "step", step)

def every_frame(name):
    for step in range(4):
        print("frame", spindle.frame(), name, "tick", step)
        spindle.next_frame()

def runaway():
    n = 0
    while True:
        n += 1

stackless.tasklet(walker)("slow", 2)
stackless.tasklet(every_frame)("fast")
stackless.tasklet(walker)("mid", 1)
stackless.tasklet(runaway)()
print("module body ends at frame", spindle.frame())
