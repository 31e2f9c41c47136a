# Tasklets paused mid-way through every kind of iterator: a dict's items
# (the dict had keys deleted, so its table has holes), a set, enumerate over
# zip, map, filter, reversed, and a dict view held in a local. A load must
# resume each at the same item, still tied to the live dict and set it walks
# (an entry added later is seen, a size change mid-loop raises as before).
import spindle
import stackless

scores = {}
for i in range(12):
    scores["p" + str(i)] = i * i
for i in range(0, 12, 4):
    del scores["p" + str(i)]
seen = {3, 1, 4, 15, 9, 2, 6}
names = ["ann", "bob", "cy", "dee", "eve"]


def walk_dict():
    for key, value in scores.items():
        print(spindle.frame(), "dict", key, value)
        if key == "p5":
            scores["late"] = -1  # a new key: the next step raises
        spindle.next_frame()


def guarded_walk():
    try:
        walk_dict()
    except RuntimeError as e:
        print(spindle.frame(), "walk ended:", e)


def walk_set():
    for x in seen:
        print(spindle.frame(), "set", x)
        spindle.next_frame()


def walk_mixed():
    view = scores.keys()
    for i, (name, n) in enumerate(zip(names, map(len, names)), 10):
        print(spindle.frame(), "enum", i, name, n, len(view))
        spindle.next_frame()
    for v in filter(lambda n: n % 2, reversed(range(7))):
        print(spindle.frame(), "odd", v)
        spindle.next_frame()
    keys = iter(scores)
    next(keys)
    spindle.next_frame()
    print(spindle.frame(), "rest", list(keys), sorted(view)[:3])


stackless.tasklet(guarded_walk)()
stackless.tasklet(walk_set)()
stackless.tasklet(walk_mixed)()
