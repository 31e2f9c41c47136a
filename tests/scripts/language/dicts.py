# dict: insertion order, methods, views, comprehension, equality, errors.
d = {"b": 2, "a": 1}
d["c"] = 3
d["b"] = 20
print(d, len(d), d["a"], d.get("z"), d.get("z", 0), "a" in d, 1 in d, list(d))
del d["a"]
d["a"] = 100
print(d, d.pop("b"), d.pop("zz", "default"), d)
print(d.setdefault("c", 0), d.setdefault("new", []), d)
d["new"].append(1)
d.update({"x": 9}, y=8)
d.update([("p", 1), ("q", 2)])
print(d)
print(d.popitem(), d.popitem(), d)
e = dict.fromkeys(["k1", "k2"], 0) if False else {k: 0 for k in ["k1", "k2"]}
print(e, {x: x * x for x in range(5) if x % 2}, dict(zip("abc", range(3))), dict(a=1) == {"a": 1})
print({1: "int", 1.0: "float", True: "bool"}, {(1, 2): "tuple", None: "none", "": "empty"})
print({"a": 1, "b": 2} == {"b": 2, "a": 1}, {"a": [1]} == {"a": [1]}, {} == {}, {1: 2} != {1: 3})
merged = {"a": 1, "b": 2} | {"b": 3, "c": 4}
merged |= {"d": 5}
print(merged, {**merged, "a": 0})
copy = merged.copy()
copy["a"] = -1
print(merged["a"], copy["a"], copy is merged)
copy.clear()
print(copy, bool(copy), bool(merged))
counts = {}
for ch in "mississippi":
    counts[ch] = counts.get(ch, 0) + 1
print(counts, sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])), max(counts, key=counts.get))
groups = {}
for word in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    groups.setdefault(word[0], []).append(word)
print(groups)
nested = {"outer": {"inner": {"leaf": 1}}}
nested["outer"]["inner"]["leaf"] += 1
print(nested, nested["outer"]["inner"])
inv = {v: k for k, v in {"one": 1, "two": 2}.items()}
print(inv, sorted(inv), sorted(inv.values()), list(reversed({"x": 1, "y": 2})))
dd = {"k": "v"}
dd["self"] = dd
print(dd)
for bad in [lambda: {}["missing"], lambda: {}.pop("gone"), lambda: {}.popitem(), lambda: {[1]: 2},
            lambda: {"a": 1}[["a"]], lambda: dict([1, 2]), lambda: dict([(1, 2, 3)]), lambda: {1: 2} < {1: 2}]:
    try:
        bad()
    except (KeyError, TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    for key in counts:
        counts["new" + key] = 1
except RuntimeError as e:
    print("RuntimeError", e)
