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
    return "alive={0} paused={1} scheduled={2} blocked={3}".format(
        t.alive, t.paused, t.scheduled, t.blocked)


def queue_names():
    # walk the run queue starting at current
    c = stackless.current
    out = [name(c)]
    t = c.next
    while t is not None and t is not c:
        out.append(name(t))
        t = t.next
    return " ".join(out)


def looper(nm, n):
    i = 0
    while i < n:
        print(nm, i)
        stackless.schedule()
        i = i + 1
    print(nm, "end")


print("--- round robin under run()")
mk("a", looper, "a", 3)
mk("b", looper, "b", 2)
mk("c", looper, "c", 1)
print("runcount", stackless.getruncount())
stackless.run()
print("after run runcount", stackless.getruncount())

print("--- round robin with main in the queue")
mk("a", looper, "a", 2)
mk("b", looper, "b", 2)
print("main before schedule")
stackless.schedule()
print("main after first schedule")
stackless.schedule()
print("main after second schedule")
stackless.schedule()
print("main after third schedule, runcount", stackless.getruncount())

print("--- getruncount inside tasklets")


def counter(nm):
    print(nm, "runcount", stackless.getruncount(), "main scheduled", stackless.main.scheduled)


mk("x", counter, "x")
mk("y", counter, "y")
stackless.run()
mk("x", counter, "x")
mk("y", counter, "y")
stackless.schedule()
stackless.schedule()
print("main runcount", stackless.getruncount())

print("--- next/prev neighbours")


def neighbours(nm):
    c = stackless.current
    print(nm, "next", name(c.next), "prev", name(c.prev))
    print(nm, "queue", queue_names())


a = mk("a", neighbours, "a")
b = mk("b", neighbours, "b")
print("main next", name(stackless.main.next), "prev", name(stackless.main.prev))
print("a next", name(a.next), "prev", name(a.prev))
print("main queue", queue_names())
stackless.run()
print("after run: a next", name(a.next), "main next", name(stackless.main.next))

print("--- schedule retval and schedule_remove + insert")


def remover():
    r = stackless.schedule("sched-retval")
    print("schedule returned", r)
    r = stackless.schedule()
    print("schedule() returned current:", r is stackless.current)
    r = stackless.schedule_remove("remove-retval")
    print("schedule_remove returned", r)
    r = stackless.schedule_remove("remove-retval-2")
    print("schedule_remove returned", r)
    print("remover end")


r = mk("r", remover)
stackless.run()
print("r", flags(r), "runcount", stackless.getruncount())
r.insert()
print("r inserted", flags(r), "runcount", stackless.getruncount())
r.tempval = "tempval-set-by-main"
stackless.run()
print("r", flags(r))
r.insert()
stackless.run()
print("r", flags(r))

print("--- tasklet.run on queued targets (t1/t2/t3)")


def forever(nm):
    while True:
        print(nm, "next", name(stackless.current.next), "main.scheduled", stackless.main.scheduled)
        stackless.schedule()


t1 = mk("t1", forever, "t1")
t2 = mk("t2", forever, "t2")
t3 = mk("t3", forever, "t3")
print("queue", queue_names())
t1.run()
print("main back after t1.run(); queue", queue_names())
t2.run()
print("main back after t2.run(); queue", queue_names())
t3.run()
print("main back after t3.run(); queue", queue_names())
print("- kill t1 (queued)")
t1.kill()
print("- kill t2 (queued)")
t2.kill()
print("- kill t3 (queued)")
t3.kill()
print("runcount", stackless.getruncount())

print("--- tasklet.run on a non-queued target")
t1 = mk("t1", forever, "t1")
t2 = mk("t2", forever, "t2")
t3 = mk("t3", forever, "t3")
t2.remove()
print("t2 removed", flags(t2), "queue", queue_names())
t2.run()
print("main back after t2.run(); queue", queue_names())
print("- kill t1 (queued)")
t1.kill()
print("- kill t2 (queued)")
t2.kill()
print("- kill t3 (queued)")
t3.kill()

print("--- run on a bound but paused tasklet")
p = stackless.tasklet()
names[p] = "p"
p.bind(looper, ("p", 2))
print("p", flags(p))
x = mk("x", looper, "x", 2)
p.run()
print("main back; queue", queue_names())
stackless.run()

print("--- switch")


def switcher(nm):
    print(nm, "running; main", flags(stackless.main))
    print(nm, "queue", queue_names())
    stackless.main.switch()
    print(nm, "resumed by switch; main", flags(stackless.main))
    stackless.main.insert()
    print(nm, "end")


s = mk("s", switcher, "s")
o = mk("o", looper, "o", 3)
s.switch()
print("main back; s", flags(s), "queue", queue_names())
s.switch()
print("main back again; s", flags(s), "queue", queue_names())
stackless.run()

print("--- insert/remove errors and no-ops")


def blocker(ch):
    ch.receive()


ch = stackless.channel()
bl = mk("bl", blocker, ch)
stackless.run()
print("bl", flags(bl))
try:
    bl.insert()
except RuntimeError as e:
    print("insert blocked:", e)
try:
    bl.remove()
except RuntimeError as e:
    print("remove blocked:", e)
try:
    bl.run()
except RuntimeError as e:
    print("run blocked:", e)
try:
    bl.switch()
except RuntimeError as e:
    print("switch blocked:", e)
ch.send(None)
print("bl", flags(bl))
try:
    bl.insert()
except RuntimeError as e:
    print("insert dead:", e)
try:
    bl.run()
except RuntimeError as e:
    print("run dead:", e)
print("remove dead returns self:", bl.remove() is bl)
try:
    stackless.current.remove()
except RuntimeError as e:
    print("remove current:", e)
q = mk("q", looper, "q", 1)
q.insert()
print("insert queued twice, runcount", stackless.getruncount())
q.remove()
q.remove()
print("removed twice", flags(q), "runcount", stackless.getruncount())
n = stackless.tasklet(looper)
try:
    n.insert()
except RuntimeError as e:
    print("insert bound-only:", e)
e0 = stackless.tasklet()
try:
    e0.insert()
except RuntimeError as e:
    print("insert new:", e)
print("current insert is a no-op, runcount", stackless.getruncount())
stackless.current.insert()
print("runcount", stackless.getruncount())
q.insert()
stackless.run()
print("done")
