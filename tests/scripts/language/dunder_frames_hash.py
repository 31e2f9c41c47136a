# __hash__ (a script frame) and __eq__ (on a collision) in the VM's dict and
# set operations: the order of calls, results and errors.
log = []

class K:
    def __init__(self, name, h):
        self.name = name
        self.h = h
    def __hash__(self):
        log.append("hash " + self.name)
        return self.h
    def __eq__(self, other):
        log.append("eq " + self.name + " " + (other.name if isinstance(other, K) else repr(other)))
        return (other.h if isinstance(other, K) else other) == self.h
    def __repr__(self):
        return self.name

def show(label, value):
    print(label, value, log)
    log.clear()

a, a2, b = K("a", 1), K("a2", 1), K("b", 2)
show("map", {a: 1, b: 2, a2: 3})
show("set", {a, b, a2})
d = {a: "x", b: "y"}
log.clear()
show("get", d[a2])
show("in", (a2 in d, K("c", 3) in d, b not in d))
d[a2] = "z"
show("store", d)
s = {a}
log.clear()
show("set in", (a2 in s, b in s, 1 in s))
show("dictcomp", {k: k.h for k in [a, b, a2]})
show("setcomp", {k for k in [b, a, a2]})
show("int keys", ({1: "one"}[a], a in {1}, K("m1", -1) in {-1: 0}, {K("m1", -1)} == {-1}))
try:
    d[K("missing", 9)]
except KeyError as e:
    show("KeyError", e)

class Bad:
    def __init__(self, value):
        self.value = value
    def __hash__(self):
        return self.value
for value in ["s", 1.5, None, True]:
    for op in [lambda: {Bad(value): 1}, lambda: {Bad(value)}, lambda: Bad(value) in {}, lambda: Bad(value) in set(),
               lambda: {}[Bad(value)], lambda: {x: 1 for x in [Bad(value)]}]:
        try:
            r = op()
            print("ok", type(r).__name__)
        except (TypeError, KeyError) as e:
            print(type(e).__name__, e if type(e) is TypeError else "")

class Raises:
    def __hash__(self):
        raise ValueError("no hash")
for op in [lambda: {Raises(): 1}, lambda: {1, Raises()}, lambda: Raises() in {1: 2}]:
    try:
        op()
    except ValueError as e:
        print("ValueError", e)
try:
    {}[Raises()] = 1
except ValueError as e:
    print("ValueError", e)
