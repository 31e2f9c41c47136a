# A tasklet stopped in a function that unpacks with a starred target, between
# two such unpackings: its copy, from pickle, resumes with the list the first
# one made and makes the second itself; the original goes on apart.
import pickle
import stackless

feed = ["xyz"]


def sorter(batch):
    first, *middle, last = batch
    stackless.schedule_remove()
    head, *rest = feed[-1]
    return (first, middle, last, head, rest)


results = []


def run(batch):
    made = sorter(batch)
    results.append(made)
    print("made", made)


t = stackless.tasklet(run)([1, 2, 3, 4])
stackless.run()
copy = pickle.loads(pickle.dumps(t))
print("paused", t.paused, copy.paused)
copy.insert()
stackless.run()
feed.append(range(3))
t.insert()
stackless.run()
for r in results:
    print(r)
