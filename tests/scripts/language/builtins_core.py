# Everyday builtins: len range sorted reversed enumerate zip map filter any all min max sum abs divmod hash round
# isinstance type repr iter next getattr setattr hasattr, and the type constructors.
data = [5, 3, 8, 1, 9, 2]
print(len(data), len("abc"), len({}), len(range(5)), len((1,)), len({1, 2}))
print(sorted(data), sorted(data, reverse=True), sorted("hello"), sorted({3: "c", 1: "a"}), sorted(data, key=lambda v: v % 3))
print(list(reversed(data)), list(reversed("abc")), list(reversed(range(3))), list(reversed((1, 2))), list(reversed({"a": 1, "b": 2})))
print(list(enumerate("abc")), list(enumerate(data, start=10))[:2], dict(enumerate("xy")))
print(list(zip("abc", [1, 2, 3])), list(zip("ab", range(10))), list(zip()), list(zip([1])), list(zip("ab", "cd", "ef")))
print(list(map(str, data)), list(map(lambda a, b: a * b, [1, 2, 3], [4, 5])), list(map(len, ["a", "bb"])))
print(list(filter(None, [0, 1, "", "x", None, [], [0]])), list(filter(lambda v: v > 4, data)), list(filter(str.isdigit, "a1b2")))
print(any([]), all([]), any([0, "", None]), any([0, 1]), all([1, "a", [0]]), all([1, 0]), any([x > 8 for x in data]))
print(min(data), max(data), min("hello"), max([[1, 2], [3]]), min(3, 1, 2), max(3, 1, 2, key=lambda v: -v), min([], default="empty"))
print(max(data, key=lambda v: (v % 4, v)), min(["bb", "a", "ccc"], key=len), max({"a": 3, "b": 1}, key={"a": 3, "b": 1}.get))
print(sum(data), sum([1.5, 2.5]), sum([[1], [2]], []), sum(range(4), 10), sum([True, True, False]))
print(abs(-3), abs(2.5), abs(-0.0), divmod(17, 5), divmod(-17, 5), divmod(17.5, 5), hash("x") == hash("x"), hash(5), hash(True))
print(round(2.567, 1), round(-1.5), isinstance(1, int), isinstance("a", (int, str)), type(3.0).__name__, type(type).__name__)
print(repr("q'"), repr(1.0), repr([None]), repr(range(3)), ascii("ü"), repr(int))
it = iter([10, 20, 30])
print(next(it), next(it), list(it), next(it, "exhausted"))
it2 = iter("xy")
print(next(it2), next(it2))
try:
    next(it2)
except StopIteration:
    print("StopIteration")
class Box:
    pass
b = Box()
setattr(b, "size", 3)
print(getattr(b, "size"), hasattr(b, "size"), hasattr(b, "color"), getattr(b, "color", "red"))
print(int("12"), float("1.25"), str(42), bool([]), list("ab"), tuple([1]), dict(a=1), set([1, 1]), list(range(3)))
print(chr(97), ord("a"), callable(len), callable(Box), callable(b), isinstance(b, Box), isinstance(Box, type))
print(pow(2, 5), pow(2, -1), pow(3, 4, 5), divmod(7, -2), max(1, 2.5), min(-1, -1.5))
for bad in [lambda: len(5), lambda: sorted([1, "a"]), lambda: min([]), lambda: max(), lambda: abs("x"), lambda: next([1]),
            lambda: iter(5), lambda: sum(["a", "b"]), lambda: getattr(b, "nope"), lambda: divmod(1, 0), lambda: zip(1),
            lambda: hash([]), lambda: int(None), lambda: sum([1], start=2) if False else sum(1)]:
    try:
        bad()
    except (TypeError, ValueError, AttributeError, ZeroDivisionError) as e:
        print(type(e).__name__, e)
