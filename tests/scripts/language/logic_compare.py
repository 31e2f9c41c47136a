# Boolean operators return operands; chained comparisons evaluate each operand once; is / in / not.
print(1 and 2, 0 and 2, 1 or 2, 0 or 2, None or "default", "" and "x", [] or {}, not 0, not "a", not not [1])
print(0 or 0.0 or "" or None, 1 and "a" and [1], (0 and 1) or (2 and 3), not (1 and 0))
calls = []
def t(value, tag):
    calls.append(tag)
    return value
r = t(0, "a") and t(1, "b")
s = t(1, "c") or t(1, "d")
u = t(1, "e") and t(0, "f") or t(2, "g")
print(r, s, u, calls)
calls.clear()
print(t(1, "x") < t(2, "y") < t(3, "z"), calls)
calls.clear()
print(t(3, "x") < t(2, "y") < t(3, "z"), calls)
x = 5
print(1 < x < 10, 1 < x > 4, x == 5 == 5.0, 0 <= x <= 5 < 6 != 7, 1 < 2 > 3, "a" < "b" < "c" <= "c")
a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c, a is not c, None is None, (x is 5) if False else True, type(a) is list)
print(2 in a, 3 not in a, "b" in "abc", "ab" in "abc", "ac" in "abc", 1 in {1: "x"}, "x" in {1: "x"}, (1, 2) in [(1, 2)])
print(1 == 1.0, 1 is not 1.0, 0.1 + 0.2 == 0.3, float("nan") == float("nan"), [float("nan")] == [float("nan")] if False else "skip")
print(True == 1, False == 0, True + False, True is True, bool(2) is True, 3 > True)
values = [0, 1, -1, 0.0, "", "0", [], [0], {}, {0: 0}, (), (0,), None, set(), range(0), range(1)]
print([bool(v) for v in values])
print([v for v in values if v], len([v for v in values if not v]))
n = 15
print("FizzBuzz" if n % 15 == 0 else "Fizz" if n % 3 == 0 else "Buzz" if n % 5 == 0 else n)
out = []
for i in range(1, 16):
    out.append("FizzBuzz" if i % 15 == 0 else "Fizz" if i % 3 == 0 else "Buzz" if i % 5 == 0 else str(i))
print(" ".join(out))
print(max(1, 2) if 1 < 2 else min(1, 2), (lambda: 1 or 0)(), [] == [] != [1])
print(1 < 2 == True, (1 < 2) == True, 3 in [1, 2, 3] == True if False else "skip")
try:
    print([1] < "a")
except TypeError as e:
    print("TypeError:", e)
try:
    print(None < 1)
except TypeError as e:
    print("TypeError:", e)
try:
    print({1} < {1: 2})
except TypeError as e:
    print("TypeError:", e)
