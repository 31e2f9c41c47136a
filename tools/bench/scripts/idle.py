# Parked agents: COUNT tasklets each blocked in a receive. tools/bench/compare
# runs it with COUNT and with no tasklets and divides the difference in peak
# memory by COUNT: the resident cost of one idle tasklet.
# Runs unchanged on Stackless Python 3.7 and on Spindle.
import stackless

COUNT = 100000
inbox = stackless.channel()


def agent(inbox):
    inbox.receive()


for i in range(COUNT):
    stackless.tasklet(agent)(inbox)
stackless.run()
print("parked:", -inbox.balance)
