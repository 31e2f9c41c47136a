# Worlds whose object graph is deep: a save must hold them whole
# (pickle_format.hpp, "Deep graphs"). Before FORWARD/DEFINE records, each
# of these refused to save with "the object graph nests deeper than 3000".
#  - a pipeline of 2,000 tasklets, each blocked receiving on its own
#    channel with the next stage's channel in a local: channel, tasklet,
#    channel, ... 4,000 objects deep, reached from one global;
#  - 3,000 watchers, each sleeping with the next watcher tasklet in a local;
#  - a linked list of 4,000 instances that a tasklet keeps extending.
import spindle
import stackless

STAGES = 2000
WATCHERS = 3000


def stage(index, inbox, outbox):
    while True:
        value = inbox.receive()
        if outbox is None:
            print(spindle.frame(), "pipeline end got", value, "after stage", index)
        else:
            outbox.send(value + 1)


head = stackless.channel()
inbox = head
for i in range(STAGES):
    outbox = stackless.channel() if i < STAGES - 1 else None
    stackless.tasklet(stage)(i, inbox, outbox)
    inbox = outbox


def watcher(index, following):
    while True:
        spindle.sleep(2 + index % 3)
        if following is None or index % 1000 == 0:
            print(spindle.frame(), "watcher", index, "next alive", following is not None and following.alive)


first_watcher = None
for i in range(WATCHERS - 1, -1, -1):
    first_watcher = stackless.tasklet(watcher)(i, first_watcher)


class Entry:
    def __init__(self, value, rest):
        self.value = value
        self.rest = rest


log = None
for i in range(4000):
    log = Entry(i, log)


def feeder():
    global log
    n = 0
    while True:
        head.send(n * 10)
        log = Entry(n, log)
        length, total, e = 0, 0, log
        while e is not None:
            length += 1
            total += e.value
            e = e.rest
        print(spindle.frame(), "fed", n, "log", length, total)
        n += 1
        spindle.next_frame()


stackless.tasklet(feeder)()
