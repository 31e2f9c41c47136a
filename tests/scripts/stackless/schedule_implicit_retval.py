# schedule() without a retval returns the tasklet itself, unless another
# value was put in its tempval while it waited; the waiting tasklet's
# tempval reads as itself meanwhile. The same through every call form.
import stackless
from stackless import schedule

seen = []


def worker(name):
    me = stackless.getcurrent()
    r = stackless.schedule()
    seen.append((name, "module form", r is me))
    r = schedule()
    seen.append((name, "imported form", r is me))
    f = stackless.schedule
    r = f()
    seen.append((name, "alias", r is me))
    r = stackless.schedule()
    seen.append((name, "after tempval set", r if isinstance(r, str) else r is me))


a = stackless.tasklet(worker)("a")
b = stackless.tasklet(worker)("b")
stackless.schedule()            # a and b run to their first schedule()
print("a.tempval is a:", a.tempval is a, "b.tempval is b:", b.tempval is b)
for i in range(3):
    stackless.schedule()
a.tempval = "handed to a"
print("a.tempval now:", a.tempval)
stackless.run()
for entry in seen:
    print(*entry)
print("done")
