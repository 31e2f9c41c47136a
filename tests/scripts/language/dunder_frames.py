# Dunders the VM calls itself (subscripts, len, str/repr/format, print and
# f-strings) run as script frames: results, checks and the order of calls.
log = []

class Box:
    def __init__(self, name):
        self.name = name
        self.items = {}
    def __getitem__(self, key):
        log.append(("get", key))
        return self.items.get(key, key)
    def __setitem__(self, key, value):
        log.append(("set", key, value))
        self.items[key] = value
        return "ignored"
    def __delitem__(self, key):
        log.append(("del", key))
        del self.items[key]
    def __len__(self):
        return len(self.items)
    def __str__(self):
        print("(str of", self.name + ")")
        return "Box " + self.name
    def __repr__(self):
        return "Box(" + repr(self.name) + ")"
    def __format__(self, spec):
        return "<" + self.name + ":" + spec + ">"

b = Box("b")
b["x"] = 1
b[1, 2] = "pair"
print(b["x"], b[1, 2], b["missing"], b[3])
del b["x"]
print(len(b), log)
try:
    del b["x"]
except KeyError as e:
    print("KeyError", e)

# print converts one argument after another, writing as it goes.
print(b, Box("c"), sep=" | ", end=" .\n")
print("plain", 1, 2.5, None, [b], (b,))
print(b)
print()
print(b, end="")
print()

# f-strings: conversions, then the spec.
print(f"{b}", f"{b:>5}", f"{b!s}", f"{b!r}", f"{b!r:>12}|", f"{b!s:*^14}", f"{b!a}")
print(repr(b), str(b), format(b), format(b, "spec"))

class OnlyRepr:
    def __repr__(self):
        return "OnlyRepr()"

o = OnlyRepr()
print(o, str(o), repr(o), f"{o}", f"{o!s:>12}", format(o), [o])
try:
    format(o, "x")
except TypeError as e:
    print("TypeError", e)
try:
    f"{o:x}"
except TypeError as e:
    print("TypeError", e)

class Bad:
    def __init__(self, value):
        self.value = value
    def __str__(self):
        return self.value
    def __repr__(self):
        return self.value
    def __format__(self, spec):
        return self.value
    def __len__(self):
        return self.value

for value in [3, None, 2.5]:
    bad = Bad(value)
    for name, op in [("str", lambda: str(bad)), ("repr", lambda: repr(bad)), ("format", lambda: format(bad, "")),
                     ("fstr", lambda: f"{bad}"), ("fstr-s", lambda: f"{bad!s}"), ("fstr-r", lambda: f"{bad!r}"),
                     ("print", lambda: print(bad)), ("print-second", lambda: print("first", bad)),
                     ("len", lambda: len(bad))]:
        try:
            print(name, op())
        except TypeError as e:
            print(name, "TypeError", e)

for value in [-1, True, False, 7, "3"]:
    try:
        print(len(Bad(value)))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)

class Raiser:
    def __getitem__(self, key):
        raise IndexError("no item " + str(key))
    def __setitem__(self, key, value):
        raise KeyError(key)
    def __str__(self):
        raise RuntimeError("no str")
    def __len__(self):
        raise ValueError("no len")

r = Raiser()
for op in [lambda: r[5], lambda: r.__setitem__(1, 2), lambda: print("before", r, "after"), lambda: len(r),
           lambda: f"{r}", lambda: str(r)]:
    try:
        op()
    except Exception as e:
        print(type(e).__name__, e)
try:
    r["k"] = 1
except KeyError as e:
    print("KeyError", e)

# Argument errors in a dunder are reported as for any call.
class Wrong:
    def __getitem__(self):
        return 1
    def __len__(self, extra):
        return 1
try:
    Wrong()[0]
except TypeError as e:
    print("TypeError", e)
try:
    len(Wrong())
except TypeError as e:
    print("TypeError", e)

# print's keyword errors come before any conversion.
try:
    print(b, sep=3)
except TypeError as e:
    print("TypeError", e)
try:
    print(b, bogus=1)
except TypeError as e:
    print("TypeError", e)

# Exceptions whose class defines __str__ or __repr__.
class MyError(Exception):
    def __str__(self):
        return "my error " + str(self.args)
class ReprError(Exception):
    def __repr__(self):
        return "ReprError!"
e = MyError(1, 2)
print(e, str(e), repr(e), f"{e}")
print(ReprError("x"), str(ReprError("x")), repr(ReprError("y")), f"{ReprError('z')!r}")

# Subscripts inside expressions and augmented assignment.
class Counter:
    def __init__(self):
        self.d = {}
    def __getitem__(self, k):
        return self.d.get(k, 0)
    def __setitem__(self, k, v):
        self.d[k] = v
c = Counter()
for word in "a b a c a b".split():
    c[word] += 1
print(sorted(c.d.items()), c["a"] * 2 + c["b"])
