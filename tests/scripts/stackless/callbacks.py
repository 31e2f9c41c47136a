import stackless

names = {}
names[stackless.main] = "main"
chan_names = {}


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


def mkchan(nm):
    ch = stackless.channel()
    chan_names[ch] = nm
    return ch


def sched_cb(prev, next):
    print("  switch", name(prev), "->", name(next))


def chan_cb(ch, t, sending, willblock):
    print("  chan", chan_names[ch], name(t), "sending", sending, "willblock", willblock)


def chatty(nm, n):
    i = 0
    while i < n:
        print(nm, i)
        stackless.schedule()
        i = i + 1
    print(nm, "end")


def receiver(nm, ch):
    print(nm, "receiving")
    v = ch.receive()
    print(nm, "got", v)


def sender(nm, ch, v):
    print(nm, "sending", v)
    ch.send(v)
    print(nm, "sent", v)


print("--- set/get schedule callback")
print("initial", stackless.get_schedule_callback())
old = stackless.set_schedule_callback(sched_cb)
print("old", old, "get is sched_cb:", stackless.get_schedule_callback() is sched_cb)

print("--- schedule() round robin with main in the queue")
mk("a", chatty, "a", 1)
mk("b", chatty, "b", 1)
stackless.schedule()
print("main back")
stackless.schedule()
print("main back again")

print("--- run() with tasklets ending")
mk("a", chatty, "a", 1)
mk("b", chatty, "b", 0)
stackless.run()
print("run returned")

print("--- schedule() with nothing else runnable")
stackless.schedule()
print("main continues")

print("--- channel hand-off, preference -1")
ch = mkchan("ch")
mk("r", receiver, "r", ch)
mk("s", sender, "s", ch, 1)
stackless.run()

print("--- main blocks on receive")
mk("s", sender, "s", ch, 2)
print("main got", ch.receive())
stackless.run()

print("--- kill, insert, remove, switch")
t = mk("t", chatty, "t", 5)
stackless.schedule()
print("main: remove t")
t.remove()
print("main: insert t")
t.insert()
print("main: kill t")
t.kill()
u = mk("u", chatty, "u", 1)
print("main: u.switch()")
u.switch()
print("main back")

print("--- clear schedule callback")
old = stackless.set_schedule_callback(None)
print("old is sched_cb:", old is sched_cb, "get", stackless.get_schedule_callback())

print("--- channel callback")
print("initial", stackless.get_channel_callback())
old = stackless.set_channel_callback(chan_cb)
print("old", old, "get is chan_cb:", stackless.get_channel_callback() is chan_cb)
ch = mkchan("ch")
mk("r", receiver, "r", ch)
mk("s", sender, "s", ch, 1)
stackless.run()
print("- main sends to a blocked receiver")
mk("r", receiver, "r", ch)
stackless.run()
ch.send(2)
print("- main receives from a blocked sender")
mk("s", sender, "s", ch, 3)
stackless.run()
print("main got", ch.receive())
print("- main receives, blocks")
mk("s", sender, "s", ch, 4)
print("main got", ch.receive())
stackless.run()
print("- send_exception and send_sequence")


def catcher(nm, ch):
    try:
        ch.receive()
    except ValueError as e:
        print(nm, "caught", e.args)
    for x in ch:
        print(nm, "item", x)


mk("c", catcher, "c", ch)
stackless.run()
ch.send_exception(ValueError, "e")
stackless.run()
n = ch.send_sequence(["x", "y"])
print("send_sequence returned", n)
ch.close()
print("- send on the closed channel pairs with the still-blocked iterator")
ch.send(5)
print("- closed channel error: callback runs before the error")
try:
    ch.send(6)
except ValueError as e:
    print("send:", e)
print("- kill a blocked receiver")
ch2 = mkchan("ch2")
r = mk("r", receiver, "r", ch2)
stackless.run()
r.kill()
print("r alive", r.alive)

print("--- channel operation inside the channel callback")
ch3 = mkchan("ch3")
inner_done = [False]


def recursive_cb(ch, t, sending, willblock):
    print("  chan", chan_names[ch], name(t), "sending", sending, "willblock", willblock)
    if not inner_done[0]:
        inner_done[0] = True
        try:
            ch3.send(0)
        except RuntimeError as e:
            print("  inner send:", e)


stackless.set_channel_callback(recursive_cb)
mk("r", receiver, "r", ch2)
stackless.run()
ch2.send("v")
old = stackless.set_channel_callback(None)
print("old is recursive_cb:", old is recursive_cb)

print("--- tempval of the tasklet seen by the channel callback")


def tempval_cb(ch, t, sending, willblock):
    print("  chan", chan_names[ch], name(t), "sending", sending, "tempval", repr(t.tempval))


stackless.set_channel_callback(tempval_cb)
mk("r", receiver, "r", ch2)
stackless.run()
ch2.send("payload")
mk("s", sender, "s", ch2, "back")
stackless.run()
print("main got", ch2.receive())
stackless.run()
stackless.set_channel_callback(None)

print("--- current inside the schedule callback")


def current_cb(prev, next):
    print("  switch", name(prev), "->", name(next), "current is prev:", stackless.current is prev)


stackless.set_schedule_callback(current_cb)
mk("a", chatty, "a", 0)
stackless.schedule()
stackless.set_schedule_callback(None)

print("--- both callbacks together")
stackless.set_schedule_callback(sched_cb)
stackless.set_channel_callback(chan_cb)
ch = mkchan("ch")
mk("r", receiver, "r", ch)
mk("s", sender, "s", ch, "both")
stackless.run()
stackless.set_schedule_callback(None)
stackless.set_channel_callback(None)

print("--- quirk: a failed channel call inside the callback clobbers the outer value")


def clobber_cb(ch, t, sending, willblock):
    try:
        ch3.send("clobbered")
    except RuntimeError as e:
        print("  inner send:", e)


stackless.set_channel_callback(clobber_cb)
mk("r", receiver, "r", ch2)
stackless.run()
ch2.send("original")
stackless.set_channel_callback(None)
print("done")
