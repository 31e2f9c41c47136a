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


def state(ch):
    return "balance={0} closing={1} closed={2}".format(ch.balance, ch.closing, ch.closed)


def tflags(t):
    return "alive={0} blocked={1} scheduled={2} paused={3}".format(
        t.alive, t.blocked, t.scheduled, t.paused)


def sender(nm, ch, v):
    print(nm, "sending", v)
    try:
        ch.send(v)
        print(nm, "sent", v)
    except ValueError as e:
        print(nm, "send ValueError:", e)


def receiver(nm, ch):
    print(nm, "receiving")
    try:
        v = ch.receive()
        print(nm, "got", v)
    except ValueError as e:
        print(nm, "receive ValueError:", e)


print("--- close and open an empty channel")
ch = stackless.channel()
print(state(ch))
ch.close()
print("after close", state(ch))
ch.close()
print("after second close", state(ch))
ch.open()
print("after open", state(ch))

print("--- blocking operations on a closed channel")
ch = stackless.channel()
ch.close()
try:
    ch.send(1)
except ValueError as e:
    print("send:", e)
try:
    ch.receive()
except ValueError as e:
    print("receive:", e)
try:
    ch.send_exception(KeyError, "k")
except ValueError as e:
    print("send_exception:", e)
print(state(ch))
mk("S", sender, "S", ch, 1)
mk("R", receiver, "R", ch)
stackless.run()
print(state(ch))

print("--- close with blocked senders: the queue drains")
ch = stackless.channel()
mk("s1", sender, "s1", ch, 1)
mk("s2", sender, "s2", ch, 2)
stackless.run()
ch.close()
print("after close", state(ch))
print("received", ch.receive(), state(ch))
print("received", ch.receive(), state(ch))
try:
    ch.receive()
except ValueError as e:
    print("third receive:", e)
stackless.run()

print("--- blocked receivers stay blocked after close")
ch = stackless.channel()
r1 = mk("r1", receiver, "r1", ch)
r2 = mk("r2", receiver, "r2", ch)
stackless.run()
ch.close()
print("after close", state(ch), "r1", tflags(r1))
stackless.run()
print("after run", state(ch), "r1", tflags(r1), "runcount", stackless.getruncount())
ch.send("x")
print("after send", state(ch))
ch.open()
print("after open", state(ch), "r2", tflags(r2))
ch.send("y")
print("after send", state(ch))

print("--- reopened channel blocks again")
ch.close()
ch.open()
mk("s", sender, "s", ch, "z")
stackless.run()
print(state(ch))
print("received", ch.receive())
stackless.run()


def iterate(nm, ch):
    print(nm, "iterating")
    for x in ch:
        print(nm, "item", x)
    print(nm, "loop ended", state(ch))


print("--- iteration ended by close (sender closes after last send)")


def producer(nm, ch, n):
    i = 0
    while i < n:
        print(nm, "send", i)
        ch.send(i)
        i = i + 1
    print(nm, "closing")
    ch.close()
    print(nm, "closed", state(ch))


ch = stackless.channel()
it = mk("it", iterate, "it", ch)
mk("p", producer, "p", ch, 3)
stackless.run()
print("it", tflags(it), state(ch))

print("--- iteration on a channel closed while the iterator is not blocked")
ch = stackless.channel()
ch.preference = 1
it = mk("it", iterate, "it", ch)
mk("p", producer, "p", ch, 2)
stackless.run()
print("it", tflags(it), state(ch))

print("--- iteration ended by send_exception(StopIteration)")


def stopper(nm, ch):
    ch.send("a")
    ch.send("b")
    print(nm, "sending StopIteration")
    ch.send_exception(StopIteration)
    print(nm, "end")


ch = stackless.channel()
mk("it", iterate, "it", ch)
mk("st", stopper, "st", ch)
stackless.run()

print("--- iterating a closed empty channel")
ch = stackless.channel()
ch.close()
for x in ch:
    print("never")
print("loop ended at once")
try:
    ch.__next__()
except StopIteration:
    print("__next__ raises StopIteration")
print("iter(ch) is ch:", iter(ch) is ch)

print("--- send_sequence")


def collect(nm, ch, n):
    got = []
    i = 0
    while i < n:
        got.append(ch.receive())
        i = i + 1
    print(nm, "collected", got)


ch = stackless.channel()
mk("c", collect, "c", ch, 3)
n = ch.send_sequence(["a", "b", "c"])
print("send_sequence returned", n)
it2 = mk("it2", iterate, "it2", ch)
stackless.schedule()
n = ch.send_sequence(range(4))
print("send_sequence returned", n, state(ch), "it2", tflags(it2))
ch.close()
print("after close", state(ch))
n = ch.send_sequence([])
print("send_sequence([]) on closed channel returned", n)
try:
    n = ch.send_sequence([1, 2])
    print("send_sequence([1, 2]) returned", n)
except ValueError as e:
    print("send_sequence([1, 2]) on closed channel:", e)
print("it2", tflags(it2), state(ch))
stackless.run()
print("done")
