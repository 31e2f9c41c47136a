# A tasklet paused inside loops over enumerate(d.items()), zip, map and a
# set pickles with its frames; the copy resumes each loop at the next item
# (a dict or set iterator comes back as one over the items it had left, as
# in Stackless), and the original goes on unaffected.
import pickle
import stackless

ages = {"ann": 31, "bob": 27, "cy": 45, "dee": 19}
ages.pop("bob")
ages["eve"] = 52


def walker(label):
    for i, (name, age) in enumerate(ages.items(), 1):
        print(label, i, name, age)
        stackless.schedule_remove()
    for a, b in zip(map(abs, [-1, -2, -3]), "xyz"):
        print(label, a, b)
        stackless.schedule_remove()
    total = 0
    for x in {5, 6}:
        total += x
        stackless.schedule_remove()
    print(label, "total", total)


t = stackless.tasklet(walker)("orig")
t.run()
t.run()
copy = pickle.loads(pickle.dumps(t))
print("-- the copy")
for step in range(8):
    if copy.alive:
        copy.insert()
        copy.run()
print("copy alive:", copy.alive)
print("-- the original")
while t.alive:
    t.insert()
    t.run()
