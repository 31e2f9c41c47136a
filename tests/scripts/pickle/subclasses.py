# Instances of script subclasses of stackless.tasklet and stackless.channel,
# as Stackless pickles them: the class comes back (methods, class
# attributes, isinstance), the instance's own attributes do not, and the
# state does: a blocked tasklet is blocked again on its channel, a paused
# one resumes where it stopped. Identity holds across the pickle.
import pickle
import stackless


class Worker(stackless.tasklet):
    kind = "worker"

    def greet(self):
        return "%s %s" % (self.kind, type(self).__name__)


class Special(Worker):
    kind = "special"


class Pipe(stackless.channel):
    def describe(self):
        return "%s balance %d" % (type(self).__name__, self.balance)


def collect(ch, n):
    total = 0
    for i in range(n):
        total += ch.receive()
    print("total", total)


def steps(tag, n):
    for i in range(n):
        print(tag, "step", i)
        stackless.schedule()
    print(tag, "finished")


# A subclass tasklet blocked on a subclass channel.
pipe = Pipe()
pipe.note = "own attribute"
w = Worker(collect)
w.label = "own attribute"
w(pipe, 3)
w.run()
print(w.greet(), w.blocked, pipe.describe())
w2, pipe2 = pickle.loads(pickle.dumps((w, pipe)))
print(w2.greet(), pipe2.describe(), w2.blocked, w2.alive, w2.scheduled)
print(hasattr(w2, "label"), hasattr(pipe2, "note"))
print(isinstance(w2, stackless.tasklet), isinstance(pipe2, stackless.channel), pipe2.queue is w2)
stackless.tasklet(lambda: [pipe2.send(k) for k in (1, 2, 3)])()
stackless.run()
print("blocked one done", w2.alive)

# Paused subclass tasklets, shared in a list.
a = Special(steps)("a", 3)
b = Worker(steps)("b", 2)
a.run()
b.run()
a.remove()
b.remove()
x, y, z = pickle.loads(pickle.dumps([a, b, a]))
print(type(x).__name__, type(y).__name__, x is z, x.greet(), y.greet(), x.alive, x.scheduled)
x.insert()
y.insert()
stackless.run()
print(x.alive, y.alive)

# Not started, bound only, and a fresh channel.
idle = Worker(steps)
idle.label = "idle"
i2 = pickle.loads(pickle.dumps(idle))
print(type(i2).__name__, hasattr(i2, "label"), i2.alive)
print(type(pickle.loads(pickle.dumps(Special()))).__name__)
print(pickle.loads(pickle.dumps(Pipe())).describe())

# Made as Stackless makes them, by calling the class: a script __init__
# runs with no arguments on the new, empty tasklet, then the saved state
# replaces whatever it bound. One that needs arguments cannot be loaded.


class Named(stackless.tasklet):
    def __init__(self, func=None, name="anon"):
        print("init", func is not None, name, self.alive)
        super().__init__(func)
        self.name = name


class Strict(stackless.tasklet):
    def __init__(self, func):
        super().__init__(func)


class Noted(stackless.channel):
    def __init__(self):
        self.note = "fresh"


def job(tag):
    stackless.schedule_remove()
    print("job resumed", tag)


n = Named(job, "first")("n")
n.run()
n2 = pickle.loads(pickle.dumps(n))
print("copy", n2.name, n2.alive, n2.paused)
n2.insert()
stackless.run()
noted = Noted()
noted.note = "changed"
print("channel", pickle.loads(pickle.dumps(noted)).note)
s = Strict(job)("s")
s.run()
try:
    pickle.loads(pickle.dumps(s))
except TypeError as e:
    print("strict", type(e).__name__)
