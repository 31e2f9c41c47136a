import stackless

names = {}
names[stackless.main] = "main"


def name(t):
    if t is None:
        return "None"
    if t in names:
        return names[t]
    return "?"


def mk(nm, f, *args):
    t = stackless.tasklet(f)(*args)
    names[t] = nm
    return t


def flags(t):
    return "alive={0} blocked={1} scheduled={2} paused={3}".format(
        t.alive, t.blocked, t.scheduled, t.paused)


def queue_names():
    c = stackless.current
    out = [name(c)]
    t = c.next
    while t is not None and t is not c:
        out.append(name(t))
        t = t.next
    return " ".join(out)


stop = [False]


def busy(nm):
    print(nm, "starts busy loop")
    i = 0
    while not stop[0]:
        i = i + 1
    print(nm, "busy loop stopped")


def chatty(nm, n):
    i = 0
    while i < n:
        print(nm, i)
        stackless.schedule()
        i = i + 1
    print(nm, "end")


print("--- run(n) interrupts a busy tasklet and returns it")
stop[0] = False
a = mk("a", busy, "a")
v = stackless.run(100)
print("run returned", name(v), flags(v))
print("next", name(v.next), "prev", name(v.prev), "runcount", stackless.getruncount())
print("main", flags(stackless.main))
stop[0] = True
v.insert()
stackless.run()
print("a", flags(a))

print("--- run(n) with two busy tasklets: round robin of victims")
stop[0] = False
a = mk("a", busy, "a")
b = mk("b", busy, "b")
v = stackless.run(100)
print("victim 1", name(v), "runcount", stackless.getruncount(), "b", flags(b))
v.insert()
v = stackless.run(100)
print("victim 2", name(v), "a", flags(a))
v.insert()
v = stackless.run(100)
print("victim 3", name(v))
stop[0] = True
v.insert()
v = stackless.run(100)
print("final run returned", name(v))

print("--- run(n) with cooperative tasklets returns None")
mk("x", chatty, "x", 3)
mk("y", chatty, "y", 2)
v = stackless.run(1000)
print("run returned", v)

print("--- kill the returned victim")


def busy_finally(nm):
    try:
        busy(nm)
    finally:
        print(nm, "finally")


stop[0] = False
a = mk("a", busy_finally, "a")
v = stackless.run(100)
print("victim", name(v))
v.kill()
print("after kill", flags(v))
stop[0] = True

print("--- totaltimeout with tasklets that schedule forever")


def forever(nm):
    while True:
        stackless.schedule()


p = mk("p", forever, "p")
q = mk("q", forever, "q")
v = stackless.run(1000, totaltimeout=True)
print("run returned one of p, q:", v is p or v is q, flags(v))
print("runcount", stackless.getruncount())
p.kill()
q.kill()
print("killed", flags(p), flags(q))

print("--- soft interrupt waits for the next schedule()")


def slow_then_yield(nm):
    print(nm, "starts")
    i = 0
    while i < 3000:
        i = i + 1
    print(nm, "yields")
    stackless.schedule()
    print(nm, "resumed")


a = mk("a", slow_then_yield, "a")
b = mk("b", chatty, "b", 1)
v = stackless.run(100, soft=True)
print("run(soft) returned", v)
print("a", flags(a), "b", flags(b))
print("queue", queue_names())
stackless.run()

print("--- atomic defers preemption")


def short_loop():
    # far fewer ticks than the 1000-tick budget, but more than a few
    j = 0
    while j < 20:
        j = j + 1


def atomic_worker(nm):
    print(nm, "atomic before", stackless.current.atomic)
    with stackless.atomic():
        print(nm, "atomic inside", stackless.current.atomic)
        i = 0
        while i < 10000:
            i = i + 1
        print(nm, "atomic section done")
    short_loop()
    print(nm, "atomic after", stackless.current.atomic)
    busy(nm)


stop[0] = False
a = mk("a", atomic_worker, "a")
v = stackless.run(1000)
print("victim", name(v), flags(v))
stop[0] = True
v.insert()
stackless.run()

print("--- clearing atomic with a pending interrupt")


def set_atomic_worker(nm):
    stackless.current.set_atomic(True)
    i = 0
    while i < 10000:
        i = i + 1
    print(nm, "clears atomic")
    stackless.current.set_atomic(False)
    short_loop()
    print(nm, "after clearing atomic")


a = mk("a", set_atomic_worker, "a")
v = stackless.run(1000)
print("victim", name(v), flags(v))
v.insert()
stackless.run()

print("--- set_atomic returns the old value")
old = stackless.current.set_atomic(True)
print("old", old, "now", stackless.current.atomic)
old = stackless.current.set_atomic(False)
print("old", old, "now", stackless.current.atomic)

print("--- atomic tasklet is not interrupted even past the budget")


def atomic_all(nm):
    stackless.current.set_atomic(True)
    i = 0
    while i < 3000:
        i = i + 1
    print(nm, "finished while atomic")


a = mk("a", atomic_all, "a")
b = mk("b", chatty, "b", 1)
v = stackless.run(100)
print("run returned", v)

print("--- nested run() inside a tasklet")


def nested(nm):
    print(nm, "calls run(); main", flags(stackless.main))
    r = stackless.run()
    print(nm, "run() returned", r, "runcount", stackless.getruncount())


mk("n", nested, "n")
mk("x", chatty, "x", 2)
mk("y", chatty, "y", 1)
stackless.run()
print("outer run() returned")

print("--- error propagates to the innermost run()")


def failer(nm):
    print(nm, "raises")
    raise ValueError(nm)


def nested_catch(nm):
    try:
        stackless.run()
        print(nm, "not reached")
    except ValueError as e:
        print(nm, "inner run() raised", e.args)
    print(nm, "queue", queue_names())


mk("n", nested_catch, "n")
mk("f", failer, "f")
mk("x", chatty, "x", 1)
stackless.run()
print("outer run() returned")

print("--- timeout of the outer run() preempts inside a nested run()")


def nested_busy(nm):
    print(nm, "calls run()")
    r = stackless.run()
    print(nm, "run() returned", name(r))


stop[0] = False
n = mk("n", nested_busy, "n")
b = mk("b", busy, "b")
v = stackless.run(100)
print("outer run returned", name(v), "b", flags(b))
print("n", flags(n), "queue", queue_names())
stop[0] = True
if v is not None:
    v.insert()
stackless.run()

print("--- switch_trap")
old = stackless.switch_trap(1)
print("old level", old)
mk("x", chatty, "x", 1)
try:
    stackless.schedule()
except RuntimeError as e:
    print("schedule:", e)
print("level", stackless.switch_trap(-1))
print("level now", stackless.switch_trap(0))
stackless.run()
print("done")
