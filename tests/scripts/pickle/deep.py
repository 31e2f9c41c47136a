# Deep object graphs pickle and load at any depth, identity and cycles
# kept (pickle_format.hpp, "Deep graphs"): a linked list, nested lists and
# dicts, a dict whose key hashes by walking a deep chain, a set of such
# keys, a chain of closures.
#
# The expected output is what Stackless 3.7 prints with DEPTH = 150. At
# DEPTH = 100000, as here, Stackless and CPython 3.11 stop with
# "RecursionError: maximum recursion depth exceeded while pickling an
# object"; Spindle prints the same lines as at 150.
import pickle
import stackless  # Stackless pickles lambdas by content once it is imported

DEPTH = 100000


def roundtrip(v):
    return pickle.loads(pickle.dumps(v))


class Node:
    def __init__(self, value):
        self.value = value
        self.next = None


# A linked list whose tail points back at its head.
head = Node(0)
tail = head
for i in range(1, DEPTH):
    tail.next = Node(i)
    tail = tail.next
tail.next = head
first, last = roundtrip([head, tail])
count, node, in_order = 0, first, True
while count <= DEPTH:
    in_order = in_order and node.value == count
    count += 1
    node = node.next
    if node is first:
        break
print("linked list:", count == DEPTH, in_order, last.next is first, last.value == DEPTH - 1)

# Nested lists, the innermost holding the outermost.
nest = []
bottom = nest
for i in range(DEPTH):
    nest = [i, nest]
bottom.append(nest)
back = roundtrip(nest)
level, cur, in_order = 0, back, True
while len(cur) == 2:
    in_order = in_order and cur[0] == DEPTH - 1 - level
    cur = cur[1]
    level += 1
print("nested lists:", level == DEPTH, in_order, len(cur) == 1 and cur[0] is back)

# Nested dicts sharing one list at every level.
shared = ["shared"]
tree = {}
for i in range(DEPTH):
    tree = {"depth": i, "inner": tree, "shared": shared}
back = roundtrip(tree)
one, level, cur = back["shared"], 0, back
while cur:
    one = one if cur["shared"] is one else None
    cur = cur["inner"]
    level += 1
print("nested dicts:", level == DEPTH, one is back["shared"], one)


# A key whose hash walks its chain: loading must hash it only once the
# whole chain is there again.
class Key:
    def __init__(self, name, chain):
        self.name = name
        self.chain = chain

    def length(self):
        n, c = 0, self.chain
        while c:
            c = c[1]
            n += 1
        return n

    def __hash__(self):
        return hash((self.name, self.length()))

    def __eq__(self, other):
        return isinstance(other, Key) and self.name == other.name and self.length() == other.length()


def chain(n):
    c = []
    for i in range(n):
        c = [i, c]
    return c


table = {Key("a", chain(DEPTH)): chain(DEPTH), "plain": 1, Key("b", chain(3)): "short"}
back = roundtrip(table)
keys = list(back)
print("dict:", [type(k).__name__ for k in keys], keys[0].length() == DEPTH, Key("a", chain(DEPTH)) in back)
print("dict lookups:", back[keys[0]] is not None, back[Key("b", chain(3))], back["plain"])
members = roundtrip({Key("x", chain(DEPTH)), Key("y", chain(DEPTH // 2))})
print("set:", sorted([k.name for k in members]), Key("y", chain(DEPTH // 2)) in members, Key("y", chain(3)) in members)


# Each closure holds the one before it in a cell.
def link(prev, i):
    return lambda: (prev, i)


f = lambda: (None, -1)
for i in range(DEPTH):
    f = link(f, i)
g, n, in_order = roundtrip(f), 0, True
while True:
    prev, i = g()
    if prev is None:
        break
    in_order = in_order and i == DEPTH - 1 - n
    n += 1
    g = prev
print("closures:", n == DEPTH, in_order)
