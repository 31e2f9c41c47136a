# The iteration protocol: iter/next, iterator exhaustion, laziness of map/filter/zip/enumerate, mutation during loops.
it = iter([1, 2, 3])
print(iter(it) is it, next(it), list(it), list(it), next(it, None))
s = iter("ab")
print(next(s), next(s), next(s, "end"))
d = {"x": 1, "y": 2}
di = iter(d)
print(next(di), list(di))
order = []
def record(v):
    order.append(v)
    return v * 2
m = map(record, [1, 2, 3])
print(order, next(m), order, list(m), order)
f = filter(lambda v: v % 2, range(7))
print(next(f), next(f), list(f))
z = zip(range(3), "abcdef")
print(next(z), list(z))
e = enumerate("xyz", 5)
print(next(e), list(e))
r = reversed([1, 2, 3])
print(next(r), list(r))
nums = [1, 2, 3, 4]
for n in nums:
    if n == 2:
        nums.append(99)
    if len(nums) > 6:
        break
print(nums)
lst = [1, 2, 3, 4, 5, 6]
for v in lst:
    if v % 2 == 0:
        lst.remove(v)
print(lst)
class Fib:
    def __init__(self, limit):
        self.limit = limit
    def __iter__(self):
        a, b = 0, 1
        out = []
        while a < self.limit:
            out.append(a)
            a, b = b, a + b
        return iter(out)
print(list(Fib(100)), sum(Fib(10)), 8 in Fib(10), 9 in Fib(10), sorted(Fib(30), reverse=True)[:3])
class Walker:
    def __init__(self, steps):
        self.steps = steps
        self.i = 0
    def __iter__(self):
        return self
    def __next__(self):
        if self.i >= len(self.steps):
            raise StopIteration
        self.i += 1
        return self.steps[self.i - 1]
w = Walker("abc")
print([c for c in w], [c for c in w], list(zip(Walker([1, 2]), Walker([3, 4, 5]))))
print(list(map(lambda a, b: a + b, "ab", "xyz")), dict(zip("ab", map(str, range(2)))), list(enumerate(Walker("q"))))
print(any(map(lambda v: v > 2, [1, 2, 3])), all(map(bool, [1, []])), max(map(len, ["a", "abc", "ab"])))
print(list(zip(*[[1, 2, 3], [4, 5, 6]])), [list(p) for p in zip("ab", "cd")], tuple(reversed(range(3))))
try:
    next(iter([]))
except StopIteration as e:
    print("StopIteration", repr(e))
try:
    iter(42)
except TypeError as e:
    print("TypeError:", e)
try:
    for q in 3.5:
        pass
except TypeError as e:
    print("TypeError:", e)
try:
    next(Fib(3))
except TypeError as e:
    print("TypeError:", e)
