# Stackless's types live in _stackless: reprs and messages say
# "_stackless.tasklet". Read-only attributes, setter messages, and the
# nesting_level / recursion_depth / restorable of main and script tasklets.
import stackless

print(stackless.tasklet, stackless.channel, stackless.atomic)
print(stackless.tasklet.__name__, stackless.tasklet.__module__, stackless.channel.__module__)
print(type(stackless.main).__name__, type(stackless.channel()).__name__)
print(repr(stackless.main)[:30], repr(stackless.channel())[:30])

def tryit(label, fn, *args):
    try:
        fn(*args)
        print(label, "ok")
    except Exception as e:
        print(label, type(e).__name__, e)

ch = stackless.channel()
t = stackless.tasklet()
for attr in ["balance", "closed", "closing", "queue"]:
    tryit("set " + attr, setattr, ch, attr, 1)
for attr in ["alive", "paused", "next", "is_main", "restorable", "nesting_level", "frame", "atomic"]:
    tryit("set " + attr, setattr, t, attr, 1)
tryit("set foo", setattr, ch, "foo", 1)
tryit("get foo", getattr, ch, "foo")
tryit("get tasklet foo", getattr, t, "foo")
tryit("len", len, t)
for v in ["x", None, 2.5, True, 7]:
    tryit("preference %r" % (v,), setattr, ch, "preference", v)
    tryit("schedule_all %r" % (v,), setattr, ch, "schedule_all", v)
print(ch.preference, ch.schedule_all)
tryit("bind args, no func", stackless.tasklet().bind, None, (1,))
tryit("bind kwargs, no func", stackless.tasklet().bind, None, None, {"a": 1})
tryit("bind args, old func", stackless.tasklet(print).bind, None, (1,))

def depth(n):
    if n == 0:
        return stackless.current.recursion_depth
    return depth(n - 1)

print("main", stackless.main.recursion_depth, depth(0), depth(3), stackless.main.nesting_level, stackless.main.restorable)

def f():
    print("f", stackless.current.recursion_depth, depth(2), stackless.main.recursion_depth,
          stackless.current.nesting_level, stackless.main.nesting_level, stackless.main.restorable)
    stackless.schedule()

t = stackless.tasklet(f)()
print("new", t.recursion_depth, t.nesting_level, t.restorable)
stackless.schedule()
print("paused", t.recursion_depth, t.nesting_level)
stackless.run()
print("dead", t.recursion_depth, t.nesting_level, t.restorable)

def h(tag):
    print(tag, stackless.main.nesting_level, stackless.main.recursion_depth, stackless.current.nesting_level)

stackless.tasklet(h)("main in schedule")
stackless.schedule()
def s():
    h("main in receive")
    ch.send(1)
stackless.tasklet(s)()
ch.receive()
stackless.tasklet(h)("main in run")
stackless.run()
def sw():
    h("main switched away")
    stackless.main.switch()
stackless.tasklet(sw)().switch()
