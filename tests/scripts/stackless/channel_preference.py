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


def queue_names():
    c = stackless.current
    out = [name(c)]
    t = c.next
    while t is not None and t is not c:
        out.append(name(t))
        t = t.next
    return " ".join(out)


def chan_queue(ch):
    out = []
    t = ch.queue
    while t is not None:
        out.append(name(t))
        t = t.next
    return "[" + " ".join(out) + "]"


def receiver(nm, ch):
    print(nm, "receiving")
    v = ch.receive()
    print(nm, "got", v)


def sender(nm, ch, v):
    print(nm, "sending", v)
    ch.send(v)
    print(nm, "sent", v)


def other(nm):
    print(nm, "runs")
    stackless.schedule()
    print(nm, "runs again")


def send_case(pref, sched_all):
    print("--- send with waiting receiver, preference", pref, "schedule_all", sched_all)
    ch = stackless.channel()
    ch.preference = pref
    ch.schedule_all = sched_all
    mk("R", receiver, "R", ch)
    mk("S", sender, "S", ch, "v")
    mk("X", other, "X")
    stackless.run()


def recv_case(pref, sched_all):
    print("--- receive with waiting sender, preference", pref, "schedule_all", sched_all)
    ch = stackless.channel()
    ch.preference = pref
    ch.schedule_all = sched_all
    mk("S", sender, "S", ch, "v")
    mk("R", receiver, "R", ch)
    mk("X", other, "X")
    stackless.run()


send_case(-1, 0)
send_case(0, 0)
send_case(1, 0)
send_case(-1, 1)
send_case(1, 1)
recv_case(-1, 0)
recv_case(0, 0)
recv_case(1, 0)
recv_case(-1, 1)

print("--- preference clamping and defaults")
ch = stackless.channel()
print("default preference", ch.preference, "schedule_all", ch.schedule_all)
ch.preference = 5
print("set 5 ->", ch.preference)
ch.preference = -7
print("set -7 ->", ch.preference)
ch.preference = 0
print("set 0 ->", ch.preference)
ch.schedule_all = 3
print("schedule_all 3 ->", ch.schedule_all)

print("--- main sends to a waiting receiver (main in the queue)")


def main_send_case(pref):
    print("- preference", pref)
    ch = stackless.channel()
    ch.preference = pref
    mk("R", receiver, "R", ch)
    mk("X", other, "X")
    stackless.schedule()
    print("main: balance", ch.balance, "queue", queue_names())
    ch.send("m")
    print("main after send; queue", queue_names())
    stackless.run()


main_send_case(-1)
main_send_case(0)
main_send_case(1)

print("--- main receives from a waiting sender (main in the queue)")


def main_recv_case(pref):
    print("- preference", pref)
    ch = stackless.channel()
    ch.preference = pref
    mk("S", sender, "S", ch, "m")
    mk("X", other, "X")
    stackless.schedule()
    print("main: balance", ch.balance, "queue", queue_names())
    v = ch.receive()
    print("main received", v, "queue", queue_names())
    stackless.run()


main_recv_case(-1)
main_recv_case(0)
main_recv_case(1)

print("--- balance and queue with blocked senders")
ch = stackless.channel()
s1 = mk("s1", sender, "s1", ch, 1)
s2 = mk("s2", sender, "s2", ch, 2)
s3 = mk("s3", sender, "s3", ch, 3)
print("balance", ch.balance, "queue", chan_queue(ch))
stackless.run()
print("balance", ch.balance, "queue", chan_queue(ch))
print("s1 next", name(s1.next), "prev", name(s1.prev))
print("s2 next", name(s2.next), "prev", name(s2.prev))
print("s3 next", name(s3.next), "prev", name(s3.prev))
print("s2 blocked", s2.blocked, "scheduled", s2.scheduled, "paused", s2.paused,
      "channel is ch", s2._channel is ch)
print("runcount", stackless.getruncount())
v = ch.receive()
print("main received", v, "balance", ch.balance, "queue", chan_queue(ch))
print("main queue", queue_names())
stackless.run()
print("balance", ch.balance, "queue", chan_queue(ch))
print("received", ch.receive(), "balance", ch.balance)
print("main queue", queue_names())
print("received", ch.receive(), "balance", ch.balance)
stackless.run()
print("balance", ch.balance, "queue", chan_queue(ch))

print("--- balance and queue with blocked receivers")
ch = stackless.channel()
r1 = mk("r1", receiver, "r1", ch)
r2 = mk("r2", receiver, "r2", ch)
stackless.run()
print("balance", ch.balance, "queue", chan_queue(ch), "r1 blocked", r1.blocked)
ch.send("a")
print("after send a: balance", ch.balance, "queue", chan_queue(ch))
ch.send("b")
print("after send b: balance", ch.balance, "queue", chan_queue(ch))
stackless.run()

print("--- send_exception to a waiting receiver")


def catcher(nm, ch):
    try:
        ch.receive()
    except ValueError as e:
        print(nm, "caught ValueError", e.args)


mk("c1", catcher, "c1", ch)
stackless.run()
ch.send_exception(ValueError, "x", 2)
print("main after send_exception, balance", ch.balance)
mk("c2", catcher, "c2", ch)
stackless.run()
ch.send_throw(ValueError("thrown"))
print("main after send_throw, balance", ch.balance)
print("done")
