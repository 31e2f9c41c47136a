# Sets and dicts whose history shapes their order: a set that grew and lost
# most of its items (a big table with holes), pop() walking its finger, a
# dict with deleted keys. Iterating them after a load must give the order
# the uninterrupted run gives.
import spindle
import stackless

crowd = set()
for i in range(300):
    crowd.add(i * 7919 % 1009)
for i in range(285):
    crowd.discard(i * 7919 % 1009)
tags = {"zeta", "alpha", "mid", "q", "omega"}
tags.discard("mid")
index = {}
for i in range(40):
    index["k" + str(i)] = i
for i in range(0, 40, 3):
    del index["k" + str(i)]


def watcher():
    while crowd:
        print(spindle.frame(), sorted(crowd)[:3], list(crowd)[:6], list(tags))
        print(spindle.frame(), "popped", crowd.pop(), list(index)[:5])
        index["n" + str(spindle.frame())] = len(crowd)
        tags.add("t" + str(spindle.frame()))
        spindle.next_frame()


stackless.tasklet(watcher)()
