# The dispatch loop's fast paths for channel send/receive between script
# tasklets, at their edges: exceptions sent to a waiting or a blocked
# partner, a tempval set on a blocked tasklet, values of every kind, and
# each preference.
import stackless


# Each operation is called as `ch.op(...)` right here, the shape the
# dispatch loop runs itself.
def receive(ch, label):
    try:
        print(label, "receive ->", ch.receive())
    except Exception as e:
        print(label, "receive raised", type(e).__name__, e)


def send(ch, value, label):
    try:
        print(label, "send ->", ch.send(value))
    except Exception as e:
        print(label, "send raised", type(e).__name__, e)


def receiver(ch, label):
    receive(ch, label)


def sender(ch, value, label):
    send(ch, value, label)


def exception_to_waiting_receiver():
    print("--- send_exception to a waiting receiver")
    ch = stackless.channel()
    stackless.tasklet(receiver)(ch, "R")
    stackless.schedule()
    ch.send_exception(ValueError, "boom")
    print("main after send_exception, balance", ch.balance)


def exception_from_blocked_sender(pref):
    print("--- receive from a sender blocked in send_exception, preference", pref)
    ch = stackless.channel()
    ch.preference = pref

    def thrower():
        ch.send_exception(KeyError, "k")
        print("thrower resumes")

    stackless.tasklet(thrower)()
    stackless.schedule()
    receive(ch, "main")
    stackless.schedule()


def tempval_on_blocked_receiver(pref):
    print("--- tempval set on a blocked receiver, preference", pref)
    ch = stackless.channel()
    ch.preference = pref
    t = stackless.tasklet(receiver)(ch, "R")
    stackless.schedule()
    t.tempval = "preset"
    send(ch, "payload", "main")
    stackless.schedule()
    stackless.schedule()


def tempval_on_blocked_sender(pref):
    print("--- tempval set on a blocked sender, preference", pref)
    ch = stackless.channel()
    ch.preference = pref
    t = stackless.tasklet(sender)(ch, "original", "S")
    stackless.schedule()
    t.tempval = "replaced"
    receive(ch, "main")
    stackless.schedule()
    stackless.schedule()


class Thing:
    def __repr__(self):
        return "Thing()"


def kinds():
    print("--- values of every kind, both ways")
    ch = stackless.channel()

    def echo():
        while True:
            v = ch.receive()
            ch.send(v)

    stackless.tasklet(echo)()
    for v in [None, True, 7, -2 ** 62, 2.5, "s", (1, "t"), [1], {"k": 2}, Thing(), echo, ch]:
        ch.send(v)
        back = ch.receive()
        print(type(back).__name__, back is v or back == v)


def pingpong(pref, rounds):
    print("--- ping-pong, preference", pref)
    a = stackless.channel()
    b = stackless.channel()
    a.preference = pref
    b.preference = pref
    log = []

    def ping():
        for i in range(rounds):
            log.append("ping send %d" % i)
            a.send(i)
            log.append("ping got %d" % b.receive())

    def pong():
        for i in range(rounds):
            v = a.receive()
            log.append("pong got %d" % v)
            b.send(v * 10)
            log.append("pong sent %d" % (v * 10))

    stackless.tasklet(ping)()
    stackless.tasklet(pong)()
    stackless.run()
    for line in log:
        print(line)


def main_blocks_on_receive():
    print("--- main blocks; tasklets hand values to main and between themselves")
    ch = stackless.channel()
    relay = stackless.channel()

    def first():
        relay.send("via relay")
        ch.send("from first")

    def second():
        ch.send(relay.receive() + "!")

    stackless.tasklet(first)()
    stackless.tasklet(second)()
    print(ch.receive())
    print(ch.receive())


exception_to_waiting_receiver()
for p in (-1, 0, 1):
    exception_from_blocked_sender(p)
for p in (-1, 0, 1):
    tempval_on_blocked_receiver(p)
for p in (-1, 0, 1):
    tempval_on_blocked_sender(p)
kinds()
for p in (-1, 0, 1):
    pingpong(p, 3)
main_blocks_on_receive()
print("done")
