# A tasklet cut off by the frame budget runs first next frame; the others
# wait in the run queue in order behind it.
import spindle
import stackless


def grinder():
    total = 0
    for i in range(90):
        total += i * i % 7
    print(spindle.frame(), "grinder", total)


def ticker(name):
    for i in range(5):
        print(spindle.frame(), name, i)
        stackless.schedule()
        spindle.next_frame()


stackless.tasklet(grinder)()
stackless.tasklet(ticker)("t1")
stackless.tasklet(ticker)("t2")
