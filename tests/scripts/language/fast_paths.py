# The dispatch loop's fast paths keep Python's meaning: fused `local.attr`
# loads and stores, plain calls and instantiation, returns, str-keyed dict
# items and boolean short-circuits.


class Point:
    kind = "class attribute"

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm1(self):
        return abs(self.x) + abs(self.y)


def fused_loads():
    p = Point(3, -4)
    print(p.x, p.y, p.norm1(), p.kind)
    p.kind = "instance attribute"  # now shadows the class's
    print(p.kind, Point.kind)
    s = "text"
    print(s.upper(), (1.5).is_integer())
    n = 5
    try:
        print(n.missing)
    except AttributeError as e:
        print("AttributeError:", e)
    try:
        print(later.x)
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    later = p
    print(later.x)


class Empty:
    pass


def fused_stores():
    a = Point(1, 2)
    b = Point(3, 4)
    for obj in (a, b, a):
        obj.z = obj.x + obj.y  # a new attribute: the same transition each time
        obj.x = 0
    print(a.x, a.z, b.x, b.z)
    c = Empty()
    c.y = "y first"
    c.x = "then x"
    print(c.y, c.x)
    n = 7
    try:
        n.attr = 1
    except AttributeError as e:
        print("AttributeError:", e)
    try:
        del gone
    except NameError:
        pass
    try:
        gone.attr = 1
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    gone = a


class Tracked:
    def __init__(self, v):
        self.v = v


def init_replaced():
    first = Tracked(1)

    def other_init(self, v):
        self.v = v * 100

    Tracked.__init__ = other_init
    second = Tracked(2)
    print(first.v, second.v)


class BadInit:
    def __init__(self):
        return 5


def calls():
    try:
        BadInit()
    except TypeError as e:
        print("TypeError:", e)
    try:
        Point(1)
    except TypeError as e:
        print("TypeError:", e)

    def with_default(a, b=10):
        return a + b

    print(with_default(1), with_default(1, 2), with_default(b=3, a=4))

    def deep(n):
        return 0 if n == 0 else 1 + deep(n - 1)

    print(deep(200))
    try:
        deep(100000)
    except RecursionError:
        print("RecursionError")


def dict_items():
    d = {"seen": 0, "fled": 0}
    for i in range(5):
        d["fled" if i % 2 else "seen"] += 1
    print(d)
    try:
        d["nope"]
    except KeyError as e:
        print("KeyError:", e)
    e = {}
    e["new"] = 1
    e["new"] += 1
    print(e, e["new"])


def short_circuits():
    for x in (-1.0, 50.0, 150.0):
        print(x < 0.0 or x > 100.0, x > 0.0 and x < 100.0, (x > 0.0 and "in") or "out")


fused_loads()
fused_stores()
init_replaced()
calls()
dict_items()
short_circuits()
