# Every way a tasklet gets its function and arguments, each run to check
# what the first frame receives: setup() with keywords, bind() with tuples,
# keyword-only and defaulted parameters, *args and **kwargs, rebinding after
# the end, and bind(None). The bound values are referenced by nothing else
# until the first run (the stress-gc preset collects at every allocation).
# (Stackless 3.7 crashes on bind(None, [list]), so only tuples here.)
import stackless

log = []


def show(*args, **kwargs):
    log.append((args, sorted(kwargs.items())))


def fixed(a, b=2, *rest, c, d=4, **more):
    log.append((a, b, rest, c, d, sorted(more.items())))


def make_value(n):
    return [n, str(n), (n, n)]


stackless.tasklet(show)(1, 2, x=3, y=4)
stackless.tasklet(fixed)(10, c=30)
stackless.tasklet(fixed)(10, 20, 21, 22, c=30, d=40, e=50)
t = stackless.tasklet()
t.bind(show, (5, 6), {"k": 7})
t.insert()
t = stackless.tasklet(show)
t.bind(None, (8, 9))
t.insert()
t = stackless.tasklet(show)
t.bind(args=tuple(range(3)))
t.insert()
t = stackless.tasklet(show, (make_value(11),), {"v": make_value(12)})
t.insert()
stackless.run()
for entry in log:
    print(entry)

# Rebinding a finished tasklet, and bind(None).
t = stackless.tasklet(show)(1)
stackless.run()
print("alive after end:", t.alive)
t.bind(show, (2,))
print("alive after bind with args:", t.alive)
t.insert()
stackless.run()
print(log[-1])
t.bind(None)
try:
    t.setup(3)
except RuntimeError as e:
    print("setup after bind(None):", e)

# A bound tasklet without arguments is not alive; setup() makes it so.
t = stackless.tasklet(show)
print("bound only, alive:", t.alive)
t.setup("late")
print("after setup, alive:", t.alive)
stackless.run()
print(log[-1])

# Many tasklets whose arguments are the only references to their values.
def keep(box, i):
    log.append(box[0] + i)


for i in range(200):
    stackless.tasklet(keep)([i * 1000], i)
stackless.run()
print("sum:", sum(log[-200:]))
