# tuples and unpacking: assignment, swaps, nested targets, loop targets, star arguments in calls.
t = (1, "two", 3.0, None, (5, 6))
print(t, len(t), t[1], t[-1][0], t[1:3], t[::-1], t.index(3.0), t.count(None), (1,) + (2,), (0,) * 3)
print((), (1,), tuple(), tuple("ab"), tuple([1, 2]), (1, 2) < (1, 3), (1, 2) == (1, 2), (2,) > (1, 5), hash((1, 2)) == hash((1, 2)))
a, b = 1, 2
a, b = b, a
print(a, b)
x, (y, z) = 1, (2, 3)
print(x, y, z)
[p, q] = "pq"
print(p, q)
(m, n), o = [10, 20], 30
print(m, n, o)
first, second, third = range(3)
print(first, second, third)
k, v = {"only": 1}.popitem()
print(k, v)
for i, (c, d) in enumerate([("a", 1), ("b", 2)]):
    print(i, c, d)
for key, value in sorted({"z": 26, "a": 1}.items()):
    print(key, value)
pairs = list(zip([1, 2, 3], "abc"))
print(pairs, list(zip(*pairs)), dict(pairs))
def total(*args, **kwargs):
    return sum(args), sorted(kwargs.items())
nums = [1, 2, 3]
opts = {"x": 1, "y": 2}
print(total(*nums), total(*nums, 4, *[5]), total(**opts), total(0, *nums, z=3, **opts))
print(*nums, sep="-")
print(*"abc", *[1, 2])
merged = [*nums, *"xy", *range(2)]
print(merged, (*nums, 0), {**opts, "z": 3}, {*nums, 3})
i = j = 5
print(i, j)
seq = [0, 0, 0]
idx = 0
idx, seq[idx] = 1, 9
print(idx, seq)
for bad in ["a, b = 1, 2, 3", "a, b = [1]", "a, b = 5", "t[0] = 1", "x, y = None"]:
    try:
        if bad == "a, b = 1, 2, 3":
            a, b = 1, 2, 3
        elif bad == "a, b = [1]":
            a, b = [1]
        elif bad == "a, b = 5":
            a, b = 5
        elif bad == "t[0] = 1":
            t[0] = 1
        else:
            x, y = None
    except (ValueError, TypeError) as e:
        print(bad, "->", type(e).__name__, e)
