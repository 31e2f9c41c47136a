# Operator methods: arithmetic, reflected and in-place forms, unary operators, NotImplemented.
class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)
    def __add__(self, other):
        if isinstance(other, Vec):
            return Vec(self.x + other.x, self.y + other.y)
        if isinstance(other, (int, float)):
            return Vec(self.x + other, self.y + other)
        return NotImplemented
    def __radd__(self, other):
        return self.__add__(other)
    def __sub__(self, other):
        return Vec(self.x - other.x, self.y - other.y)
    def __mul__(self, k):
        if isinstance(k, (int, float)):
            return Vec(self.x * k, self.y * k)
        return NotImplemented
    def __rmul__(self, k):
        return self * k
    def __truediv__(self, k):
        return Vec(self.x / k, self.y / k)
    def __floordiv__(self, k):
        return Vec(self.x // k, self.y // k)
    def __mod__(self, k):
        return Vec(self.x % k, self.y % k)
    def __pow__(self, k):
        return Vec(self.x ** k, self.y ** k)
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __pos__(self):
        return self
    def __abs__(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5
    def __invert__(self):
        return Vec(self.y, self.x)
    def __and__(self, other):
        return "and"
    def __or__(self, other):
        return "or"
    def __xor__(self, other):
        return "xor"
    def __lshift__(self, n):
        return "lshift %d" % n
    def __rshift__(self, n):
        return "rshift %d" % n
    def dot(self, other):
        return self.x * other.x + self.y * other.y
v = Vec(1, 2)
w = Vec(3, 4)
print(v + w, v + 1, 1 + v, v - w, v * 3, 3 * v, 2.5 * v, v / 2, w // 2, w % 3, v ** 2, -v, +v, abs(w), ~v)
print(v & w, v | w, v ^ w, v << 2, v >> 1, v.dot(w), sum([v, w], Vec(0, 0)), sum([1, 2], 0))
class Acc:
    def __init__(self):
        self.items = []
    def __iadd__(self, item):
        self.items.append(item)
        return self
    def __repr__(self):
        return "Acc(%r)" % self.items
acc = Acc()
alias = acc
acc += 1
acc += "two"
print(acc, alias is acc)
u = Vec(1, 1)
u += Vec(1, 1)
u *= 3
u -= Vec(1, 0)
print(u)
class OnlyRight:
    def __radd__(self, other):
        return "OnlyRight.__radd__(%r)" % (other,)
    def __rsub__(self, other):
        return NotImplemented
print(5 + OnlyRight(), [1] + OnlyRight() if False else "skip", "s" + OnlyRight())
for bad in [lambda: v * v, lambda: v + "text", lambda: 5 - OnlyRight(), lambda: OnlyRight() + 1, lambda: -OnlyRight()]:
    try:
        bad()
    except TypeError as e:
        print("TypeError:", e)
class Money:
    def __init__(self, cents):
        self.cents = cents
    def __add__(self, other):
        return Money(self.cents + (other.cents if isinstance(other, Money) else other))
    __radd__ = __add__
    def __repr__(self):
        return "$%d.%02d" % divmod(self.cents, 100)
print(sum([Money(150), Money(275), Money(5)]), Money(99) + 1, 1 + Money(99))
