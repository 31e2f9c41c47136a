# dict views: keys(), values(), items() are live views.
d = {"a": 1, "b": 2}
k, v, i = d.keys(), d.values(), d.items()
print(k, v, i, type(k).__name__, type(v).__name__, type(i).__name__)
print(len(k), len(v), len(i), "a" in k, "z" in k, 2 in v, 3 in v, ("a", 1) in i, ("a", 2) in i, "a" in i)
d["c"] = 3
del d["a"]
print(k, v, i, len(k), list(k), list(v), list(i))
print(sorted(k), sorted(v, reverse=True), sorted(i), max(v), sum(v), min(k))
for key in k:
    print("key", key)
for value in d.values():
    print("value", value)
for key, value in d.items():
    print("item", key, value)
print(list(reversed(k)), list(reversed(v)), list(reversed(i)))
print(k == {"b", "c"}, k == {"b"}, {"c", "b"} == k, i == {("b", 2), ("c", 3)}, k == ["b", "c"], v == v, v == d.values())
print(k.isdisjoint({"x"}), k.isdisjoint(["b"]), i.isdisjoint([("c", 3)]))
print(bool({}.keys()), bool(k), {}.items(), {}.values(), set(k) == {"b", "c"}, tuple(i), list(enumerate(v)))
e = {}
view = e.items()
e["late"] = [1]
print(view, e.keys() == view.__class__ if False else e.keys(), list(e.values()))
nested = {"x": {"y": 1}}
print(nested.items(), nested.values())
try:
    for key in d.keys():
        d["new"] = 1
except RuntimeError as ex:
    print("RuntimeError", ex)
try:
    next(d.keys())
except TypeError as ex:
    print("TypeError", ex)
it = iter(d.items())
print(next(it), next(it))
s = {"z": 0, "y": 1}
print([key for key in s.keys()], [val * 2 for val in s.values()], {val: key for key, val in s.items()})
# keys and items views are set-like: |, &, -, ^ make sets (in CPython's slot order for ints and tuples).
d = {1: 10, 2: 20, 3: 30, 9: 90, 17: 170}
e = {2: 20, 3: 31, 4: 40, 33: 330}
k, ek = d.keys(), e.keys()
print(k | ek, k & ek, k - ek, k ^ ek, ek - k, {1, 2} | k, k & {3, 9, 8}, {3, 9, 8} & k, k - [1, 2], k | [50], k ^ {1: 0})
print(d.items() & e.items(), d.items() - e.items(), d.items() | e.items(), d.items() ^ e.items(), d.items() ^ {(1, 10)})
a = {1}
b = a
a |= k
print(a, b, a is b, set(range(40)) - k, k - set(range(2, 30)))
try:
    d.values() | {1}
except TypeError as ex:
    print("TypeError", ex)
print(k <= {1, 2, 3, 9, 17}, k < {1, 2, 3, 9, 17}, {1} < k, {1, 3} >= k, k > {1}, k >= k, d.items() <= set(d.items()) | {5})
