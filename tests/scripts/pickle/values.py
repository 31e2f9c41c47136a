# Round trips of plain values: equal after loads, and the right types.
import pickle


def roundtrip(v):
    return pickle.loads(pickle.dumps(v))


values = [
    None, True, False, 0, 1, -1, 127, 128, -129, 2 ** 62, -9223372036854775807 - 1, 9223372036854775807,
    0.0, -0.0, 1.5, -2.25, 1e300, float("inf"), float("-inf"), 3.141592653589793,
    "", "a", "hello world", "caf\u00e9", "\u4e2d\u6587", "\U0001F600 emoji", "x" * 1000,
    (), (1,), (1, "two", 3.0), [], [1, [2, [3, [4]]]], {}, {"a": 1, "b": [2, 3]},
    {1: "one", (2, 3): "pair", None: 0, 4.5: "float", True: "bool"},
    set(), {1, 2, 3}, {(1, 2), (3, 4)},
    range(10), range(1, 20, 3), range(5, -5, -2), range(0),
]
for v in values:
    r = roundtrip(v)
    print(repr(r), type(r).__name__, r == v)
for v in [slice(1, 2), slice(None, None, -1), slice(1, "a", None)]:
    r = roundtrip(v)
    print(repr(r), (r.start, r.stop, r.step) == (v.start, v.stop, v.step))
print(sorted(roundtrip({"x", "y"})))

# Signed zero and its sign survive; nan stays nan.
print(str(roundtrip(-0.0)), roundtrip(float("nan")) != roundtrip(float("nan")))

# Dicts keep insertion order, also after deletions.
d = {}
for k in "qwertyuiop":
    d[k] = ord(k)
del d["w"]
del d["i"]
d["w"] = 0
print(list(roundtrip(d).items()))

# Sets compare equal and iterate like a freshly built set.
s = {10, 3, 99, -4, 7}
print(roundtrip(s) == s, sorted(roundtrip(s)))

# Large containers.
big = list(range(5000))
print(roundtrip(big) == big)
bd = {i: str(i) for i in range(2000)}
print(roundtrip(bd) == bd)

# The result of dumps is deterministic and loads of it twice gives equal values.
data = pickle.dumps([1, 2, {"k": (3, 4)}])
print(data == pickle.dumps([1, 2, {"k": (3, 4)}]), pickle.loads(data) == pickle.loads(data))
print(pickle.loads(data) is pickle.loads(data))

# The protocol argument is accepted.
print(pickle.loads(pickle.dumps([1, 2], 4)), pickle.loads(pickle.dumps((3,), protocol=None)))
