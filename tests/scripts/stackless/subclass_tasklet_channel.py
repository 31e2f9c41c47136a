# Subclasses of stackless.tasklet and stackless.channel: their own
# attributes and methods, __init__ with any signature (the base's __new__
# ignores the arguments), super().__init__ and the base's __init__ binding
# the function, getcurrent() returning the subclass instance, and inherited
# channel behaviour (send, receive, iteration, balance).
import stackless


class Worker(stackless.tasklet):
    made = 0

    def __init__(self, func, label):
        stackless.tasklet.__init__(self, func)
        self.label = label
        self.steps = 0
        Worker.made += 1

    def describe(self):
        return "worker " + self.label + " steps " + str(self.steps)


class Named(Worker):
    def __init__(self, func, label, rank):
        super().__init__(func, label)
        self.rank = rank


def body(n):
    me = stackless.getcurrent()
    for i in range(n):
        me.steps += 1
        stackless.schedule()
    print("done", me.describe(), type(me).__name__)


w = Worker(body, "w1")
n = Named(body, "n1", 3)
print(type(w).__name__, type(n).__name__, isinstance(n, Worker), isinstance(n, stackless.tasklet))
print(w.alive, w.label, n.rank, Worker.made, hasattr(w, "rank"))
w(2)
n(3)
stackless.run()
print(w.describe(), n.describe(), w.alive, n.alive)


class Bare(stackless.tasklet):
    pass


b = Bare(body)
b.label = "bare"
b.steps = 0
b.describe = lambda: "bare lambda"
b(1)
stackless.run()


class Mailbox(stackless.channel):
    def __init__(self, name):
        self.name = name
        self.posted = 0

    def post(self, value):
        self.posted += 1
        self.send(value)


box = Mailbox("inbox")


def reader(channel, count):
    for i in range(count):
        print("got", channel.receive(), "from", channel.name)


stackless.tasklet(reader)(box, 2)
stackless.run()
print("balance", box.balance)
box.post("a")
box.post("b")
print(box.posted, box.balance, type(box).__name__, isinstance(box, stackless.channel))


def feeder(channel):
    for v in [1, 2, 3]:
        channel.send(v)
    channel.close()


stream = Mailbox("stream")
stream.preference = 1  # the sender runs on after each send, so it reaches close()
stackless.tasklet(feeder)(stream)
print([v for v in stream])
try:
    box.balance = 3
except AttributeError as e:
    print("AttributeError")
try:
    Mailbox()
except TypeError as e:
    print("TypeError")
