# Attribute and method lookups stay right when what a call site saw changes:
# other shapes, instance attributes shadowing methods, classes patched later.
class A:
    def __init__(self, x):
        self.x = x

    def who(self):
        return "A.who"


class B(A):
    def __init__(self, x):
        self.y = 0
        self.x = x


def read(objs):
    return [o.x for o in objs]


def call(objs):
    return [o.who() for o in objs]


a1, a2, b = A(1), A(2), B(3)
print(read([a1, a2, b, a1]))
print(call([a1, b, a2]))

a2.who = lambda: "instance attribute"
print(call([a1, a2]))
print(a2.who())


def patched(self):
    return "patched A.who"


for i in range(3):
    print(call([a1, b]))
    if i == 1:
        A.who = patched


def b_who(self):
    return "B.who"


B.__dict__  # reading a class namespace is allowed
B.who = b_who
print(call([a1, b]))
del B.who
print(call([a1, b]))

c = A(5)
for i in range(4):
    c.x = c.x + 1
    if i == 2:
        c.z = "new slot"
print(c.x, c.z, read([c, a1]))
