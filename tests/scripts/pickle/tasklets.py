# Tasklets that have not started yet and channels, as Stackless pickles them:
# an unpickled tasklet is alive and paused until insert().
import pickle
import stackless


def work(a, b=2, *rest, **kw):
    print("work", a, b, rest, sorted(kw.items()))


def state(t):
    return (t.alive, t.paused, t.scheduled, t.blocked)


t = stackless.tasklet(work)(1, 5, 6, k="v")
t2 = pickle.loads(pickle.dumps(t))
print(state(t), state(t2), t2 is t)
t.remove()
print(state(t))
t2.insert()
print(state(t2))
stackless.run()
print(t2.alive, t.alive)
t.insert()
stackless.run()
print(t.alive)

# A tasklet inside a structure keeps its identity there.
t3 = stackless.tasklet(work)("x")
t3.remove()
pair = pickle.loads(pickle.dumps([t3, t3, {"t": t3}]))
print(pair[0] is pair[1], pair[2]["t"] is pair[0], state(pair[0]))
pair[0].insert()
stackless.run()
print(state(pair[0]), state(t3))
t3.kill()

# Flags come back.
t4 = stackless.tasklet(work)(4)
t4.remove()
t4.set_atomic(True)
t4.block_trap = True
t5 = pickle.loads(pickle.dumps(t4))
print(t5.atomic, t5.block_trap, t5.alive)
t4.kill()
t5.kill()

# Channels: preference, closing, schedule_all.
ch = stackless.channel()
ch.preference = 1
ch.schedule_all = True
c2 = pickle.loads(pickle.dumps(ch))
print(c2.balance, c2.preference, c2.closing, c2.closed, c2.schedule_all, c2 is ch)
ch.close()
c3 = pickle.loads(pickle.dumps(ch))
print(c3.closing, c3.closed, c3.preference)

# An unpickled channel works.
c4 = pickle.loads(pickle.dumps(stackless.channel()))
def sender(c):
    c.send("hello")
stackless.tasklet(sender)(c4)
print(c4.receive())

# A tasklet and the channel it is given, in one pickle.
def receiver(c):
    print("got", c.receive())
c5 = stackless.channel()
t6 = stackless.tasklet(receiver)(c5)
t6.remove()
t7, c6 = pickle.loads(pickle.dumps((t6, c5)))
t7.insert()
stackless.schedule()
print(c6.balance)
c6.send("through the copy")
t6.kill()

# The current tasklet cannot be pickled.
try:
    pickle.dumps(stackless.current)
    print("pickled")
except (RuntimeError, pickle.PicklingError):
    print("current refused")

# A tasklet bound without arguments, and one that has finished.
b = stackless.tasklet(work)
b2 = pickle.loads(pickle.dumps(b))
print(state(b2))
b2.bind(work, ("late",))
b2.insert()
stackless.run()
f = stackless.tasklet(work)("done")
stackless.run()
f2 = pickle.loads(pickle.dumps(f))
print(state(f), state(f2))
