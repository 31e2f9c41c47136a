# Every attribute of a tasklet in each state, and of channels, before and
# after a pickle round trip, as Stackless 3.7 gives them: a started tasklet
# comes back paused with its flags, tempval and a pending thrown exception
# (raised where it waits once it runs); a channel with its preference,
# schedule_all, closing state and blocked tasklets in order.
import pickle
import stackless

ATTRS = ["alive", "blocked", "paused", "scheduled", "restorable", "atomic", "ignore_nesting", "block_trap",
         "is_current", "is_main", "nesting_level", "recursion_depth"]


def show(label, t, tempval=True):
    values = ["%s=%s" % (a, getattr(t, a)) for a in ATTRS]
    if tempval:
        v = t.tempval
        values.append("tempval=%s" % (type(v).__name__ if isinstance(v, stackless.tasklet) else repr(v)))
    print(label, " ".join(values))


def roundtrip(label, t, extra=(), tempval=True):
    show(label + " before", t, tempval)
    copy = pickle.loads(pickle.dumps((t,) + tuple(extra)))
    show(label + " after ", copy[0], tempval)
    return copy


def work(ch):
    print("work got", ch.receive())


def sender(ch, v):
    ch.send(v)
    print("sender done", v)


def looper(name):
    try:
        while True:
            stackless.schedule()
    except ValueError as e:
        print(name, "caught", repr(e))


ch = stackless.channel()
t_new = stackless.tasklet(work)(ch)
roundtrip("new", t_new)
t_new.remove()
roundtrip("new removed", t_new)
t_new.insert()
stackless.run()
t2, ch2 = roundtrip("blocked receiving", t_new, (ch,))
print(ch2.balance, ch2.queue is t2)
ch2.send("to the copy")
c3 = stackless.channel()
ts = stackless.tasklet(sender)(c3, [1, 2])
stackless.run()
ts2, c4 = roundtrip("blocked sending", ts, (c3,))
print(c4.balance, c4.receive())
stackless.run()

tl = stackless.tasklet(looper)("tl")
tl.run()
roundtrip("runnable", tl)
tl.remove()
roundtrip("paused", tl)
tl.set_atomic(True)
tl.set_ignore_nesting(1)
tl.block_trap = True
roundtrip("switches", tl)
tl.tempval = "hello"
roundtrip("tempval", tl)
tl.kill()
roundtrip("killed", tl)

tx = stackless.tasklet(looper)("tx")
tx.run()
tx.remove()
tx.throw(ValueError("pending"), pending=True)
(tx2,) = roundtrip("throw pending", tx, tempval=False)
tx.kill()
tx2.insert()
stackless.run()
print("tx2 alive", tx2.alive)

for pref in (-1, 0, 1):
    c = stackless.channel()
    c.preference = pref
    c.schedule_all = pref == 0
    d = pickle.loads(pickle.dumps(c))
    print("channel", d.preference, d.schedule_all, d.balance, d.closing, d.closed)
c = stackless.channel()
c.close()
d = pickle.loads(pickle.dumps(c))
print("closed channel", d.closing, d.closed)
c = stackless.channel()
s1 = stackless.tasklet(sender)(c, 1)
s2 = stackless.tasklet(sender)(c, "two")
stackless.run()
c.close()
d, a1, a2 = pickle.loads(pickle.dumps((c, s1, s2)))
print("closing channel", d.balance, d.closing, d.closed, d.queue is a1, a1.next is a2)
print([d.receive() for i in range(2)], d.closed)
s1.kill()
s2.kill()
stackless.run()
