print("hello", 1 + 2, 3.5 * 2, 7 // 2, -7 % 3, 2 ** 10, 1 / 3)
x = [1, 2, 3]
x.append(4)
print(x, len(x), x[1:3], x[::-1])
d = {"a": 1, "b": [1, 2]}
d["c"] = (1,)
print(d, d.get("z", 5))
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
print(fib(20))
class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)
    def __repr__(self):
        return f"Vec({self.x}, {self.y})"
v = Vec(1, 2) + Vec(3, 4.5)
print(v, repr(v), str(v))
try:
    1 / 0
except ZeroDivisionError as e:
    print("caught", e)
def make():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc
f = make()
f(); f()
print(f())
print([i * i for i in range(5) if i % 2 == 0], {k: v for k, v in d.items()})
for i, s in enumerate("ab"):
    print(i, s)
print(sorted([3, 1, 2], reverse=True), min(3, 1, 2), max([4, 8]), sum(range(10)))
print(0.1 + 0.2, 1e16, 1e-5, 123.456, float("inf"), round(2.5), round(3.5), round(2.675, 2))
print("%d-%s %.2f" % (3, "x", 3.14159), f"{3.14159:.3f} {42:>5} {'hi':^6}|")
class A:
    def f(self):
        return "A"
class B(A):
    def f(self):
        return "B" + super().f()
print(B().f(), isinstance(B(), A))
