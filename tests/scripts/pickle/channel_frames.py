# A channel pickled with its blocked tasklets gets them back, blocked again
# in their order, with their pending values.
import pickle
import stackless


def sender(c, v):
    c.send(v)
    print("sent", v)


def receiver(c, name):
    v = c.receive()
    print(name, "got", v)


ch = stackless.channel()
s1 = stackless.tasklet(sender)(ch, "first")
s2 = stackless.tasklet(sender)(ch, ("second", [2]))
stackless.run()
print(ch.balance, [t is s1 for t in (s1, s2)])
ch2, u1, u2 = pickle.loads(pickle.dumps((ch, s1, s2)))
print(ch2.balance, u1.blocked, u2.blocked, u1.paused, u1.scheduled)
print(ch2.queue is u1)
print(ch2.receive())
print(ch2.receive())
stackless.run()
print(ch2.balance, u1.alive, u2.alive)
# The originals are still blocked on the original channel.
print(ch.balance)
print(ch.receive(), ch.receive())
stackless.run()

# Blocked receivers, with the channel's flags.
ch = stackless.channel()
ch.preference = 1
r1 = stackless.tasklet(receiver)(ch, "r1")
r2 = stackless.tasklet(receiver)(ch, "r2")
stackless.run()
ch.close()
c2 = pickle.loads(pickle.dumps(ch))
print(c2.balance, c2.preference, c2.closing, c2.closed)
q = c2.queue
print(q.blocked, q.alive)
c2.send("x")
c2.send("y")
stackless.run()
print(c2.balance, c2.closed)
ch.send(1)
ch.send(2)
stackless.run()
