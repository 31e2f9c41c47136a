# Values and their types: None, bool, int, float, str, tuple, list, dict, set, range.
values = [None, True, False, 0, -7, 3.5, -0.0, "", "text", (), (1,), [], [1, 2], {}, {"k": 1}, set(), {3}, range(3)]
for v in values:
    print(repr(v), type(v).__name__, bool(v))

print(type(None), type(True), type(1), type(1.0), type("s"))
print(type([]), type(()), type({}), type(set()), type(range(1)))
print(isinstance(True, int), isinstance(1, bool), isinstance(1, float), isinstance(1.0, (int, float)))
print(isinstance("a", str), isinstance([], (tuple, list)), isinstance(None, object), isinstance(3, object))
print(issubclass(bool, int), issubclass(int, bool), issubclass(float, object))
print(type(True) is bool, type(1) == int, type(type(1)))

# bool is an int
print(True + True, True * 10, False - 1, True / 2, -True, ~True, True & 3, True | 2)
print(True == 1, False == 0, True is 1 == 1, hash(True) == hash(1))
print(str(True), str(False), int(True), float(False))

# identity of small immutable values
a = None
print(a is None, a is not None, a == None)

# conversions
print(int("42"), int("-17"), int(" 8 "), int("0x1f", 16), int("1f", 16), int("0b101", 0), int("777", 8), int("z", 36))
print(int(3.99), int(-3.99), int(True), int("1_000"), float("1.5"), float("-inf"), float(" 2e3 "), float(7))
print(str(12), str(-0.5), str(None), str([1, "a"]), str((1, "a")), str({"a": [1]}))
print(bool(0), bool(0.0), bool(""), bool("0"), bool([0]), bool(None), bool(range(0)))
print(list("abc"), tuple([1, 2]), list((3, 4)), dict([("a", 1), ("b", 2)]), list(range(2, 8, 3)))
print(dict(a=1, b=2), dict({"x": 1}, y=2), list({"k": 1, "j": 2}), sorted(set([3, 1, 2])))

for bad in ["abc", "1.5", "", "0x"]:
    try:
        int(bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    float("nope")
except ValueError as e:
    print("ValueError:", e)
try:
    int([1])
except TypeError as e:
    print("TypeError:", e)

# repr of nested containers
nested = [1, (2, [3, {"four": 4.0}]), {5: None}, "six", ("seven",)]
print(nested)
print(repr("it's"), repr('say "hi"'), repr("both ' and \""), repr("tab\there"), repr("nl\n"), repr("back\\slash"))
print(repr(""), repr("\x00\x1f\x7f"), repr("é"), len("é"), repr("\u20ac"))
