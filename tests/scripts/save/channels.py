# Producers and consumers over channels: senders blocked with their values,
# receivers blocked, a channel that prefers its sender, next_frame between.
import spindle
import stackless

orders = stackless.channel()
replies = stackless.channel()
replies.preference = 1
totals = {"sent": 0, "got": 0}


def producer(name, count):
    for i in range(count):
        orders.send((name, i, [i] * (i % 3)))
        totals["sent"] += 1
        if i % 2:
            spindle.next_frame()
    print("producer", name, "finished at", spindle.frame())


def consumer(name):
    while True:
        who, i, payload = orders.receive()
        totals["got"] += 1
        print(spindle.frame(), name, "got", who, i, payload, "balance", orders.balance)
        replies.send(who + str(i))
        spindle.next_frame()


def auditor():
    while True:
        note = replies.receive()
        print(spindle.frame(), "audit", note, totals)


stackless.tasklet(producer)("p", 7)
stackless.tasklet(producer)("q", 5)
stackless.tasklet(consumer)("c1")
stackless.tasklet(auditor)()


def namer():
    # Reprs show ids: a loaded world's tasklets and channels keep theirs,
    # and tasklets made after a load continue the count.
    while True:
        spindle.sleep(4)
        helper = stackless.tasklet(lambda: None)
        print(spindle.frame(), orders, replies, stackless.getcurrent(), helper)


stackless.tasklet(namer)()
