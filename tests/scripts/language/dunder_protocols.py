# Container and object protocols: __len__, __getitem__, __setitem__, __delitem__, __contains__, __iter__, __next__,
# __bool__, __call__, __repr__, __str__, __eq__, __lt__ and friends, __hash__.
class Grid:
    def __init__(self, w, h):
        self.w, self.h = w, h
        self.cells = {}
    def __len__(self):
        return self.w * self.h
    def __getitem__(self, pos):
        x, y = pos
        if not (0 <= x < self.w and 0 <= y < self.h):
            raise IndexError("cell out of range")
        return self.cells.get(pos, ".")
    def __setitem__(self, pos, value):
        self.cells[pos] = value
    def __delitem__(self, pos):
        del self.cells[pos]
    def __contains__(self, value):
        return value in self.cells.values()
    def __iter__(self):
        return iter(sorted(self.cells.items()))
    def __bool__(self):
        return bool(self.cells)
    def __repr__(self):
        return "Grid(%dx%d)" % (self.w, self.h)
g = Grid(3, 2)
print(len(g), bool(g), g[0, 0], "x" in g, g)
g[1, 1] = "x"
g[2, 0] = "y"
print(g[1, 1], "x" in g, bool(g), list(g), [k for k, v in g])
del g[1, 1]
print(list(g), "x" in g)
try:
    g[5, 5]
except IndexError as e:
    print("IndexError:", e)
class Countdown:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1
print(list(Countdown(5)), [x * 2 for x in Countdown(3)], sum(Countdown(4)), max(Countdown(6)))
for i in Countdown(2):
    print("tick", i)
class Seq:
    def __getitem__(self, i):
        if i >= 4:
            raise IndexError
        return i * 10
print(list(Seq()), 20 in Seq(), 25 in Seq())
class Multiplier:
    def __init__(self, k):
        self.k = k
    def __call__(self, x, y=1):
        return self.k * x * y
triple = Multiplier(3)
print(triple(2), triple(2, y=5), list(map(triple, [1, 2])), callable(triple), callable(5))
class Version:
    def __init__(self, *parts):
        self.parts = parts
    def __eq__(self, other):
        return isinstance(other, Version) and self.parts == other.parts
    def __lt__(self, other):
        return self.parts < other.parts
    def __le__(self, other):
        return self.parts <= other.parts
    def __hash__(self):
        return hash(self.parts)
    def __repr__(self):
        return "v" + ".".join([str(p) for p in self.parts])
    def __str__(self):
        return "version " + repr(self)
vs = [Version(1, 2), Version(1, 10), Version(0, 9), Version(1, 2, 1)]
print(sorted(vs), min(vs), max(vs), Version(1, 2) == Version(1, 2), Version(1, 2) != Version(1, 3), Version(1) == (1,))
print(Version(2) > Version(1), Version(1) >= Version(1), len({Version(1), Version(1), Version(2)}), str(vs[0]), [str(v) for v in vs[:2]])
print("%s | %r | {} | {!r}".format(vs[0], vs[0]) % (vs[1], vs[1]), f"{vs[2]} {vs[2]!r}")
class NoHash:
    def __eq__(self, other):
        return True
try:
    {NoHash()}
except TypeError as e:
    print("TypeError:", e)
print(NoHash() == 5, NoHash() != 5)
class Plain:
    pass
p1, p2 = Plain(), Plain()
print(p1 == p1, p1 == p2, p1 != p2, len({p1, p2, p1}), hash(p1) == hash(p1))
try:
    p1 < p2
except TypeError as e:
    print("TypeError:", e)
class BadLen:
    def __len__(self):
        return -1
try:
    len(BadLen())
except ValueError as e:
    print("ValueError:", e)
class Truthy:
    def __len__(self):
        return 0
print(bool(Truthy()), "yes" if Truthy() else "no", not Truthy())
