# object's __repr__, __str__, __eq__ and __ne__, reached through super() or
# the object class, behave as the defaults they stand for.
class Point:
    def __init__(self, x):
        self.x = x
    def __str__(self):
        return "Point " + super().__str__()[:15]
    def __eq__(self, other):
        if isinstance(other, Point):
            return self.x == other.x
        return super().__eq__(other)
class Named(Point):
    def __repr__(self):
        return "Named(%r)" % self.x
    def __str__(self):
        return "<" + super().__str__() + ">"
p = Point(1)
print(str(p), object.__repr__(p)[:15], object.__str__(p)[:15])
print(p == Point(1), p == Point(2), p != Point(1), p != Point(2), p == 1, p != "x", Point.__eq__(p, 5))
print(object.__eq__(p, p), object.__eq__(p, Point(1)), object.__ne__(p, Point(1)), object.__ne__(p, p))
n = Named(3)
print(n, str(n), repr(n), [n], f"{n}", object.__repr__(n)[:15])
class Failure(Exception):
    def __str__(self):
        return "failure: " + super().__str__()
    def __repr__(self):
        return "Failure!" + super().__repr__()
e = Failure("disk", 3)
print(e, repr(e), str(Failure()), repr(Failure("one")))
class Lookup(KeyError):
    def __str__(self):
        return "[" + super().__str__() + "]"
print(Lookup("k"), object.__str__(KeyError("k")), object.__repr__(ValueError(1, 2))[:20])
print(object.__str__(5), object.__eq__(1, 1), object.__eq__(1, 2))
