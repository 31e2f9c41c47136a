# A channel's own pickling protocol, as Stackless has it: __reduce__ (and
# __reduce_ex__, which takes any arguments) give (type, (), (balance, flags,
# [blocked tasklets in order])), the flags packing closing, preference and
# schedule_all into bits; __setstate__ lets go of the tasklets blocked on
# the channel (they stay paused), takes the flags, blocks the listed
# tasklets in the direction of the balance, and returns the channel. Bad
# states are refused with Stackless's errors.
import stackless

c = stackless.channel()
print(c.__reduce__())
for pref in (0, 1, -1):
    c.preference = pref
    print("preference", pref, c.__reduce__()[2])
c.schedule_all = True
print("schedule_all", c.__reduce__()[2])
c.schedule_all = False
c.close()
print("closed", c.__reduce__()[2], c.closed)
print(c.__reduce_ex__(), c.__reduce_ex__(1, 2, 3)[2])
try:
    c.__reduce__(1)
except TypeError as e:
    print("TypeError", e)


class Radio(stackless.channel):
    pass


print(Radio().__reduce__()[0] is Radio)
d = stackless.channel()


def sender(v):
    d.send(v)
    print("sent", v)


t1 = stackless.tasklet(sender)(1)
t2 = stackless.tasklet(sender)(2)
stackless.run()
r = d.__reduce_ex__(2)
print(r[0] is stackless.channel, r[1], r[2][0], r[2][1], r[2][2] == [t1, t2])
e = stackless.channel()
for st in [(1, 2), (1, 2, [], 4), ("a", 0, []), (1.5, 0, []), (0, None, []), (2**40, 0, []), (1, 0, 5)]:
    try:
        print(e.__setstate__(st) is e, e.balance, e.preference)
    except (TypeError, OverflowError) as err:
        print(type(err).__name__, err)
try:
    e.__setstate__([1, 0, []])
except SystemError as err:
    print("SystemError", err)
print(e.__setstate__((5, 3, [])) is e, e.balance, e.preference, e.schedule_all, e.closing)
print(e.__setstate__((True, 8, [])) is e, e.balance, e.preference, e.schedule_all, e.closing)

# Taken over: d lets its senders go (paused); f blocks them again, in order.
print(d.__setstate__((0, 6, [])) is d, d.balance, t1.blocked, t1.paused, t2.blocked)
f = stackless.channel()
print(f.__setstate__((2, 6, [t1, "not a tasklet", t2])) is f, f.balance, t1.blocked, f.queue is t1)
print("received", f.receive(), f.receive(), f.balance)
stackless.run()


def receiver():
    print("got", f.receive())


t3 = stackless.tasklet(receiver)()
stackless.run()
g = stackless.channel()
# A tasklet blocked elsewhere is not taken.
print(g.__setstate__((-1, 6, [t3])) is g, g.balance, t3.blocked, f.balance)
f.send("hello")
