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


def failer(nm, msg):
    print(nm, "raises", msg)
    raise ValueError(msg)


def other(nm):
    print(nm, "runs")
    stackless.schedule()
    print(nm, "runs again")


print("--- uncaught error while main is in run()")
mk("a", other, "a")
mk("f", failer, "f", "boom")
mk("b", other, "b")
try:
    stackless.run()
    print("not reached")
except ValueError as e:
    print("run() raised ValueError", e.args, "main", flags(stackless.main))
print("queue after error", queue_names())
stackless.run()
print("second run() finished")

print("--- uncaught error while main is in schedule()")
mk("f", failer, "f", "from schedule")
mk("a", other, "a")
try:
    stackless.schedule()
    print("not reached")
except ValueError as e:
    print("schedule() raised ValueError", e.args)
print("queue", queue_names())
stackless.run()

print("--- uncaught error while main is blocked in receive()")
ch = stackless.channel()
mk("f", failer, "f", "from receive")
try:
    ch.receive()
    print("not reached")
except ValueError as e:
    print("receive() raised ValueError", e.args, "balance", ch.balance, "main", flags(stackless.main))

print("--- uncaught error while main is blocked in send(), other tasklets queued")
mk("a", other, "a")
mk("f", failer, "f", "from send")
try:
    ch.send(1)
    print("not reached")
except ValueError as e:
    print("send() raised ValueError", e.args, "balance", ch.balance)
print("queue", queue_names())
stackless.run()

print("--- set_error_handler")
log = []


def handler(typ, val, tb):
    print("handler got", typ.__name__, val.args, "current is main:", stackless.current is stackless.main)
    return "ignored"


old = stackless.set_error_handler(handler)
print("old handler", old)
mk("f1", failer, "f1", "one")
mk("a", other, "a")
mk("f2", failer, "f2", "two")
stackless.run()
print("run() returned normally")
mk("f3", failer, "f3", "three")
try:
    ch.receive()
except RuntimeError as e:
    print("receive:", e)


def bad_handler(typ, val, tb):
    print("bad_handler got", val.args)
    raise KeyError("from handler")


old = stackless.set_error_handler(bad_handler)
print("old handler is handler:", old is handler)
mk("f4", failer, "f4", "four")
mk("a", other, "a")
try:
    stackless.run()
except KeyError as e:
    print("run() raised KeyError", e.args)
stackless.run()
old = stackless.set_error_handler(None)
print("old handler is bad_handler:", old is bad_handler)

print("--- main receiving, last tasklet ends normally")
ch = stackless.channel()
mk("a", other, "a")
try:
    ch.receive()
except RuntimeError as e:
    print("receive:", e, "balance", ch.balance)

print("--- main sending, last tasklet ends normally")
mk("a", other, "a")
try:
    ch.send(1)
except RuntimeError as e:
    print("send:", e, "balance", ch.balance)

print("--- main receiving, nothing else runnable")
try:
    ch.receive()
except RuntimeError as e:
    print("receive:", e, "balance", ch.balance)
try:
    ch.send(1)
except RuntimeError as e:
    print("send:", e, "balance", ch.balance)

print("--- tasklet blocks as last runnable inside run(): run() returns")


def waiter(nm, ch):
    print(nm, "waiting")
    v = ch.receive()
    print(nm, "got", v)


w = mk("w", waiter, "w", ch)
stackless.run()
print("run() returned, w", flags(w), "balance", ch.balance)
ch.send("late")

print("--- tasklet blocks as last runnable while main is blocked")
ch1 = stackless.channel()
ch2 = stackless.channel()


def blocker2(nm, ch):
    print(nm, "receiving on ch2")
    try:
        ch.receive()
        print(nm, "not reached")
    except RuntimeError as e:
        print(nm, "got RuntimeError:", e)


b = mk("b", blocker2, "b", ch2)
try:
    ch1.receive()
    print("main not reached")
except RuntimeError as e:
    print("main got RuntimeError:", e)
print("b", flags(b), "ch1", ch1.balance, "ch2", ch2.balance)
if b.alive:
    b.kill()

print("--- block_trap")


def trapped(nm, ch):
    stackless.current.block_trap = True
    try:
        ch.receive()
    except RuntimeError as e:
        print(nm, "receive:", e, "balance", ch.balance)
    stackless.schedule()
    print(nm, "block_trap", stackless.current.block_trap, "balance", ch.balance)
    print(nm, "receives from waiting sender:", ch.receive())
    stackless.current.block_trap = False
    print(nm, "receives after clearing the trap:", ch.receive())


ch = stackless.channel()
mk("tr", trapped, "tr", ch)
stackless.schedule()
print("main sends s1")
ch.send("s1")
print("main sends s2")
ch.send("s2")
stackless.main.block_trap = True
try:
    ch.receive()
except RuntimeError as e:
    print("main receive:", e)
try:
    ch.send(1)
except RuntimeError as e:
    print("main send:", e)
stackless.main.block_trap = False
print("main block_trap", stackless.main.block_trap)

print("--- bind / setup errors")


def f(x):
    print("f", x)


try:
    stackless.tasklet(42)
except TypeError as e:
    print("tasklet(42):", e)
try:
    stackless.current.bind(f)
except RuntimeError as e:
    print("bind current:", e)
t = mk("t", f, 1)
try:
    t.bind(f)
except RuntimeError as e:
    print("bind scheduled:", e)
try:
    t.setup(2)
except RuntimeError as e:
    print("setup alive:", e)
try:
    t(3)
except RuntimeError as e:
    print("call alive:", e)
stackless.run()
print("dead t", flags(t))
try:
    t.setup(4)
    print("setup on dead t", flags(t))
except RuntimeError as e:
    print("setup on dead t:", e)
t.bind(f)
t.setup(4)
print("bind(f) then setup on dead t", flags(t))
stackless.run()
e0 = stackless.tasklet()
try:
    e0.setup()
except RuntimeError as e:
    print("setup unbound:", e)
ch = stackless.channel()
w = mk("w", waiter, "w", ch)
stackless.run()
try:
    w.bind(f)
except RuntimeError as e:
    print("bind blocked:", e)
ch.send("x")


def touch_main(nm):
    try:
        stackless.main.bind(None)
    except RuntimeError as e:
        print(nm, "bind main:", e)
    try:
        stackless.main.bind(f, (1,))
    except RuntimeError as e:
        print(nm, "bind main with args:", e)


mk("tm", touch_main, "tm")
stackless.run()
p = stackless.tasklet(f)
p.bind(f, (5,))
print("bound with args", flags(p))
p.bind(f, (6,))
print("rebound paused", flags(p))
p.insert()
stackless.run()
print("done")
