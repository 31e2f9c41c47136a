# Set iteration order follows CPython's hash table slots for ints, floats, bools, None and tuples.
print({3, 1, 2}, {10, 100, 1000}, {8, 16, 0, 24}, {-1, -2, -3}, {2 ** 40, 2 ** 50, 7}, {1.5, 0.5, 2.25, 3.0})
print({None, 1, (1, 2)}, {True, False, None}, {(0, 0), (1, 0), (0, 1)}, {0.1, 0.2, 0.3}, {1e10, 1e-10})
print(set(range(20, 0, -3)), set([64, 32, 16, 8, 4, 2, 1]), set((5, 13, 21, 29, 37)), {x * 8 for x in range(6)})
s = set()
for value in [17, 1, 33, 9, 25, 41, 57, 49]:
    s.add(value)
    print(s)
for value in [33, 1, 57]:
    s.discard(value)
print(s, list(s), [v for v in s])
for value in [65, 73, 81, 2]:
    s.add(value)
print(s)
t = {5, 13, 21}
t.discard(13)
t.add(29)
print(t)
big = set(range(0, 200, 7))
print(big)
for v in list(big)[::3]:
    big.discard(v)
print(big)
big.update(range(1000, 1010))
print(big)
print(big & set(range(0, 300, 2)), big - set(range(100)), set(range(10)) ^ {5, 15, 25})
print({(i, -i) for i in range(5)}, {(i, None) for i in range(4)}, {(1.5, i) for i in range(3)})
print({-5, 5, -50, 50, 500, -500}, {2 ** 61 - 1, 2 ** 61, 2 ** 62, -2 ** 61}, {1 << 33, 1 << 34, 3})
u = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
while len(u) > 3:
    print(u.pop(), end=" ")
print(u)
w = {100, 200, 300}
print(w.copy(), set(w), w | set(), w | {1}, {*w, 5}, sorted(w) == sorted(w.copy()))
for x in {30, 10, 20}:
    print(x, end=" ")
print([y for y in {7, 3, 11, 19}], {4, 8, 12} == {12, 8, 4}, 3 in {1, 2, 3})
d = {"k": 1}
print(set(d.values()) | {2}, {v for v in (3, 11, 19, 27)} - {11})
