# __new__ as CPython runs it: before __init__, with the same arguments;
# __init__ only for an instance of the class; object.__new__'s checks.


class Point:
    def __new__(cls, x, y=0):
        print("new", cls.__name__, x, y)
        self = super().__new__(cls)
        self.made_by_new = True
        return self

    def __init__(self, x, y=0):
        print("init", x, y)
        self.x = x
        self.y = y


p = Point(1, y=2)
print(p.made_by_new, p.x, p.y, type(p).__name__)


class Point3(Point):
    def __init__(self, x, y=0, z=0):
        super().__init__(x, y)
        self.z = z


q = Point3(4, 5)
print(type(q).__name__, q.made_by_new, q.x, q.y, q.z)


class Singleton:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
            cls._instance.count = 0
        return cls._instance

    def __init__(self):
        self.count += 1


a = Singleton()
b = Singleton()
print(a is b, a.count)


class NotMine:
    def __new__(cls, value):
        return value * 2

    def __init__(self, value):
        print("never")


print(NotMine(21), NotMine("ab"))


class Other:
    def __init__(self):
        print("Other.__init__ is not called by Maker()")


class Maker:
    def __new__(cls):
        return Other.__new__(Other)

    def __init__(self):
        print("never either")


print(type(Maker()).__name__)


class Base:
    def __new__(cls, *args, **kwargs):
        print("Base.__new__", cls.__name__, args, sorted(kwargs.items()))
        return object.__new__(cls)


class Child(Base):
    def __new__(cls, *args, **kwargs):
        print("Child.__new__", args)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        self.args = args


c = Child(1, 2, key="v")
print(type(c).__name__, c.args)


class OnlyNew:
    def __new__(cls, *args):
        return super().__new__(cls)


print(type(OnlyNew(1, 2, 3)).__name__)
print(OnlyNew.__new__(OnlyNew).__class__.__name__)
print(type(OnlyNew().__new__(OnlyNew)).__name__)


class Plain:
    pass


class TooMany:
    def __new__(cls, x):
        return super().__new__(cls, x)


def attempt(label, f):
    try:
        print(label, f())
    except TypeError as e:
        print(label, "TypeError:", e)


attempt("Plain(1)", lambda: Plain(1))
attempt("TooMany(1)", lambda: TooMany(1))
attempt("object.__new__(int)", lambda: object.__new__(int))
attempt("object.__new__(5)", lambda: object.__new__(5))
attempt("object.__new__()", lambda: object.__new__())
attempt("object.__new__(Plain, 1)", lambda: object.__new__(Plain, 1))
attempt("object.__new__(Point, 1)", lambda: object.__new__(Point, 1))
attempt("object.__new__(ValueError)", lambda: object.__new__(ValueError))
print(type(object.__new__(Plain)).__name__, type(object.__new__(object)).__name__)


class Tagged(ValueError):
    def __new__(cls, *args):
        self = super().__new__(cls, *args)
        self.tag = "t"
        return self


e = Tagged("bad", 7)
print(e.args, e.tag, isinstance(e, ValueError))
try:
    raise Tagged("raised")
except ValueError as caught:
    print(type(caught).__name__, caught.args, caught.tag)
