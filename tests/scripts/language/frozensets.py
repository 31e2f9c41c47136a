# frozenset as CPython has it: construction, hashing (dict keys, sets of
# frozensets iterate in CPython's order), operators and methods returning
# the left operand's type, no mutation.
f = frozenset([3, 1, 2])
e = frozenset()
print(f, e, repr(frozenset("ab")) == repr(frozenset("ba")), type(f).__name__, isinstance(f, frozenset))
print(len(f), 2 in f, 5 in f, sorted(f))
print(hash(f) == hash(frozenset([1, 2, 3])), hash(e), hash(frozenset([1])), hash(frozenset([1, 2, 3])))
print(f == {1, 2, 3}, {1, 2, 3} == f, f <= {1, 2, 3, 4}, f < f, f >= frozenset([1]))
s = {1, 2}
print(type(f | s).__name__, type(s | f).__name__, f | s, s & f, f - s, f ^ s)
g = f
g |= {9}
print(g, f, g is f)
print(f.union([7]), f.intersection({1, 2}), f.difference([1]), f.symmetric_difference([1, 8]))
print(f.issubset([1, 2, 3]), f.issuperset([1]), f.isdisjoint([5]), f.copy() is f)
print(frozenset(f) is f, set(f), frozenset({4, 5}))
d = {frozenset([1, 2]): "a", frozenset(): "b"}
print(d[frozenset([2, 1])], d[frozenset()])
nested = {frozenset([1]), frozenset([2]), frozenset([1, 2]), frozenset()}
print(nested)
print({frozenset([i, i + 1]) for i in range(6)})
try:
    f.add(4)
except AttributeError as err:
    print("AttributeError:", err)
try:
    set.add(f, 4)
except TypeError as err:
    print("TypeError:", err)
try:
    frozenset(1, 2)
except TypeError as err:
    print("TypeError:", err)
try:
    hash({1})
except TypeError as err:
    print("TypeError:", err)
try:
    frozenset([[1]])
except TypeError as err:
    print("TypeError:", err)
print(frozenset(range(20)))
print(frozenset([x * 7 % 31 for x in range(15)]))
print(sorted(frozenset({"a": 1, "b": 2})), frozenset((1, 1.0, True)))
x = frozenset([(1, 2), (3, 4)])
print(x, (1, 2) in x)
print(hash(frozenset([(1, 2), (3, 4)])), hash(frozenset(range(100))))
