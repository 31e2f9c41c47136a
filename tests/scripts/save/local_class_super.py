# Classes defined inside a function, their methods calling zero-argument
# super() directly and from a lambda, with frames waiting inside them at
# every save: a load keeps each function's defining class.
import spindle
import stackless


def make_walker():
    class Base:
        def step(self, n):
            return n + 1

    class Walker(Base):
        def step(self, n):
            double = lambda me, k: super().step(k) * 2
            spindle.next_frame()
            return double(self, super().step(n)) % 997

    return Walker


Walker = make_walker()


def agent(name, start):
    walker = Walker()
    n = start
    while True:
        n = walker.step(n)
        print(spindle.frame(), name, n)


stackless.tasklet(agent)("x", 1)
stackless.tasklet(agent)("y", 5)
