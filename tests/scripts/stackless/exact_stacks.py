# A tasklet's value stack is sized exactly for its first frame: no spare
# slots. Calls the VM makes itself above an expression's values (dunder
# methods, __exit__, __init__, __bool__, __next__, class bodies, key
# functions called from C++) must grow it themselves. Each case runs as the
# whole body of a fresh tasklet; ASan catches a write past the end.
import stackless


class Num:
    def __init__(self, v):
        self.v = v

    def __add__(self, other):
        return Num(self.v + other.v)

    def __lt__(self, other):
        return self.v < other.v

    def __bool__(self):
        return self.v != 0


class Quiet:
    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        print("exit", kind.__name__)
        return True


class Count:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        return self.n


def add(a, b):
    return (a + b).v


def compare(a, b):
    return a < b


def branch(a):
    if a:
        return "yes"
    return "no"


def swallow():
    with Quiet():
        raise KeyError("k")


def nested_with():
    with Quiet():
        with Quiet():
            raise ValueError("v")
        raise IndexError("i")


def loop(n):
    for i in Count(n):
        print("i", i)


def construct(v):
    return Num(v).v


def key_sort(xs):
    return sorted(xs, key=lambda v: -v)


def make_class():
    class Inner:
        x = 1
    return Inner.x


def report(f, *args):
    print(f.__name__, f(*args))


for f, args in [(add, (Num(1), Num(2))), (compare, (Num(1), Num(2))), (branch, (Num(0),)), (swallow, ()),
                (nested_with, ()), (loop, (2,)), (construct, (5,)), (key_sort, ([1, 3, 2],)), (make_class, ())]:
    stackless.tasklet(f)(*args)
    stackless.run()
    stackless.tasklet(report)(f, *args)
    stackless.run()
