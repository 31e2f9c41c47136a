# Instances, classes, functions, modules, exceptions and bound methods.
import pickle
import math


def roundtrip(v):
    return pickle.loads(pickle.dumps(v))


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm2(self):
        return self.x * self.x + self.y * self.y

    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)

    def __eq__(self, other):
        return isinstance(other, Point) and self.x == other.x and self.y == other.y

    def __hash__(self):
        return hash((self.x, self.y))

    class Inner:
        def __init__(self):
            self.v = 7


class Point3(Point):
    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z

    def __repr__(self):
        return "Point3(%r, %r, %r)" % (self.x, self.y, self.z)


class Counter:
    count = 0

    def __init__(self):
        Counter.count += 1
        self.made = Counter.count


p = roundtrip(Point(3, 4))
print(p, p.norm2(), type(p) is Point, isinstance(p, Point))
q = roundtrip(Point3(1, 2, 3))
print(q, q.norm2(), isinstance(q, Point))
print(roundtrip(Point.Inner()).v)

# Unpickling does not call __init__.
c = Counter()
c2 = roundtrip(c)
print(Counter.count, c2.made)

# Instances as dict keys and set members.
pts = {Point(1, 2): "a", Point(3, 4): "b"}
pts2 = roundtrip(pts)
print(pts2[Point(1, 2)], pts2[Point(3, 4)], roundtrip({Point(0, 0)}) == {Point(0, 0)})

# Attributes added later, deleted ones, and odd ones.
o = Point(1, 1)
o.extra = [1, 2]
del o.x
o.x = 9
o2 = roundtrip(o)
print(o2.x, o2.y, o2.extra, sorted(o2.__dict__))

# Classes and functions go by name.
print(roundtrip(Point) is Point, roundtrip(Point.Inner) is Point.Inner, roundtrip(Point.norm2) is Point.norm2)
print(roundtrip(roundtrip) is roundtrip, roundtrip(len) is len, roundtrip(math.sqrt) is math.sqrt)
print(roundtrip(int) is int, roundtrip(ValueError) is ValueError, roundtrip([dict, list, object])) 

# Bound methods.
m = roundtrip(Point(5, 12).norm2)
print(m())

# Exceptions keep their class, args and attributes.
e = roundtrip(ValueError("bad", 3))
print(type(e).__name__, e.args, str(e))
class AppError(Exception):
    pass
err = AppError("oops")
err.code = 42
e2 = roundtrip(err)
print(type(e2).__name__, e2.args, e2.code, isinstance(e2, Exception))
print(roundtrip([KeyError("k"), StopIteration()]))

# Plain object() instances.
print(type(roundtrip(object())).__name__)
