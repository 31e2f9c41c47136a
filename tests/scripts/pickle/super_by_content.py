# Zero-argument super() in functions pickled by content: a lambda and a
# local function inside methods see the method's class (CPython's __class__
# cell), and keep it through pickle.loads, as in Stackless; so does a
# tasklet paused with such a lambda in its frame.
import pickle, stackless


class Base:
    def greet(self):
        return "base"


class Child(Base):
    def greet(self):
        return "child+" + super().greet()

    def deferred(self):
        # A lambda and a local function in a method: zero-argument super()
        # uses the method's class and the lambda's first argument.
        return lambda me: "lambda+" + super().greet()

    def local(self):
        def inner(me):
            return "inner+" + super().greet()
        return inner


c = Child()
f = c.deferred()
g = c.local()
print(f(c), g(c))
f2, g2, c2 = pickle.loads(pickle.dumps((f, g, c)))
print(f2(c2), g2(c2), c2.greet())


def make():
    class Local(Base):
        def greet(self):
            return "local+" + super().greet()
    return Local


Local = make()
print(Local().greet())


def worker(obj, ch):
    ch.receive()
    print("worker", obj.greet(), f(obj))


ch = stackless.channel()
t = stackless.tasklet(worker)(c, ch)
stackless.run()
t2, ch2 = pickle.loads(pickle.dumps((t, ch)))
t.kill()
ch2.send(None)


# A tasklet paused inside a lambda in a method, its super() call still to come.
class Relay(Base):
    def relay(self, ch):
        wait = lambda me: ch.receive() + "+" + super().greet()
        return wait(self)


def run_relay(r, ch):
    print("relay", r.relay(ch))


ch3 = stackless.channel()
t3 = stackless.tasklet(run_relay)(Relay(), ch3)
stackless.run()
t4, ch4 = pickle.loads(pickle.dumps((t3, ch3)))
t3.kill()
ch4.send("sent")
