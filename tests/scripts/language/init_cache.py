# Instantiation remembers each class's __init__ until some class changes:
# replacing, adding or deleting __init__ (on the class or a base) is seen.
class A:
    def __init__(self):
        print("A one")


class B(A):
    pass


for i in range(2):
    A()
    B()


def two(self):
    print("A two")


A.__init__ = two
A()
B()


def own(self):
    print("B own")


B.__init__ = own
B()
del B.__init__
B()
del A.__init__
print(type(A()).__name__, type(B()).__name__)
try:
    A(1)
except TypeError as e:
    print("TypeError:", e)


class Plain:
    pass


try:
    Plain(1)
except TypeError as e:
    print("TypeError:", e)


class Chained:
    def __init__(self, x):
        super().__init__()
        self.x = x


class BadChain:
    def __init__(self, x):
        super().__init__(x)


print(Chained(5).x)
try:
    BadChain(1)
except TypeError as e:
    print("TypeError:", e)
