# set: methods, operators, comparisons, comprehension, errors.
s = {3, 1, 2}
print(s, len(s), 1 in s, 5 not in s, set(), set([2, 2, 1]), {x % 3 for x in range(10)})
s.add(4); s.add(1); s.discard(10); s.discard(2); s.remove(3)
print(s, s.pop(), s)
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(a | b, a & b, a - b, b - a, a ^ b, a.union(b, [9]), a.intersection(b, range(4)), a.difference(b, [1]))
print(a.symmetric_difference(b), a.symmetric_difference([1, 7]), a.union(), a.intersection(), a.difference())
print(a <= b, {3} <= b, {3} < b, b < b, b <= b, a >= {1, 2}, a > a, a == {4, 3, 2, 1}, a != b)
print(a.issubset(range(10)), a.issuperset([1, 2]), a.isdisjoint(b), a.isdisjoint({7}), {1}.issubset({1}))
c = set(a)
c |= {10}; c &= {1, 2, 10, 11}; c -= {2}; c ^= {1, 12}
print(c)
c.update([20], (21,), {22}); c.intersection_update(range(21, 30)); c.difference_update([21]); c.symmetric_difference_update({22, 23})
print(c)
d = c
d.add(99)
e = c.copy()
e.add(100)
print(c is d, c, e, c.clear(), c, d)
print(sorted({"pear", "apple", "fig"}), len({"a", "b", "a"}), sorted(set("mississippi")))
print({1, 1.0, True}, {0, False, 0.0}, {(1, 2), (1, 2.0)}, {None, None}, len({1, "1", 1.0}))
print(set({"k": 1, "j": 2}) == {"k", "j"}, set(range(3)) == {0, 1, 2}, {frozen for frozen in (1, 2)} == {1, 2})
print(bool(set()), bool({0}), min({4, 2, 8}), max({4, 2, 8}), sum({1, 2, 3}), sorted({3, 1, 2}, reverse=True))
for bad in [lambda: {[1]}, lambda: set().pop(), lambda: {1}.remove(2), lambda: {1}.remove((1, 2)), lambda: {1} | [2],
            lambda: {1} - 1, lambda: {1} < [1], lambda: set(1), lambda: {1}.add([2]), lambda: {1}.union(5),
            lambda: {1}.issubset([1, [2]]), lambda: set([1], [2]), lambda: {1}.add(), lambda: {1}.pop(1),
            lambda: set.add([], 1), lambda: {{1}}, lambda: {1}.update(a=1)]:
    try:
        bad()
    except (TypeError, KeyError) as ex:
        print(type(ex).__name__, ex)
try:
    t = {1, 2, 3}
    for x in t:
        t.add(x * 10)
except RuntimeError as ex:
    print("RuntimeError", ex)
