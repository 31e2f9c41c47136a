# Started tasklets pickle with their whole call stack, as Stackless pickles
# them: pickle a tasklet mid-loop, kill the original, unpickle, insert, and
# it goes on from where it was. An unpickled tasklet is alive and paused.
import pickle
import stackless

log = []


def count(n, label):
    total = 0
    for i in range(n):
        total += helper(i)
        log.append((label, i, total))
        stackless.schedule()
    log.append((label, "done", total))
    return total


def helper(i):
    return i * 10


def state(t):
    return (t.alive, t.paused, t.scheduled, t.blocked)


# Paused by remove() after three rounds.
t = stackless.tasklet(count)(6, "a")
for _ in range(3):
    stackless.schedule()
t.remove()
print(log)
data = pickle.dumps(t)
t.kill()
print("killed", t.alive)
del log[:]
t2 = pickle.loads(data)
print(state(t2), t2 is t)
t2.insert()
print(state(t2))
stackless.run()
print(log)
print(t2.alive)

# The same pickle loads twice into two independent tasklets.
del log[:]
a = pickle.loads(data)
b = pickle.loads(data)
a.insert()
b.insert()
stackless.run()
print(sorted(log, key=str))

# Nested calls: a frame waiting in a script call below the switch.
def inner(k):
    x = [k, k + 1]
    stackless.schedule()
    return sum(x) + k


def outer(n):
    acc = []
    for k in range(n):
        acc.append(inner(k))
    print("outer", acc)


t = stackless.tasklet(outer)(3)
stackless.schedule()
t.remove()
t3 = pickle.loads(pickle.dumps(t))
t.kill()
t3.insert()
stackless.run()

# A tasklet blocked on receive: its channel is one of its locals, so the
# pickle takes the channel too, and the copy comes back blocked on the copy.
ch = stackless.channel()


def waiter(c, name):
    v = c.receive()
    print(name, "got", v)
    return v


w = stackless.tasklet(waiter)(ch, "w")
stackless.schedule()
print("blocked", w.blocked, ch.balance)
w2, ch2 = pickle.loads(pickle.dumps((w, ch)))
print(state(w2), ch2.balance, ch2.queue is w2)
ch2.send("copy")
ch.send("real")
stackless.run()
print(w.alive, w2.alive, ch.balance, ch2.balance)
