# Identity and cycles: shared objects stay shared, cycles close.
import pickle


def roundtrip(v):
    return pickle.loads(pickle.dumps(v))


a = []
a.append(a)
b = roundtrip(a)
print(b[0] is b, len(b))

shared = [1, 2]
pair = roundtrip([shared, shared, (shared,)])
print(pair[0] is pair[1], pair[2][0] is pair[0])
pair[0].append(3)
print(pair)

d = {}
d["self"] = d
d["list"] = [d]
e = roundtrip(d)
print(e["self"] is e, e["list"][0] is e)

# A tuple that reaches itself through a list.
l = []
t = (l, 1)
l.append(t)
t2 = roundtrip(t)
print(t2[0][0] is t2, t2[1])

class Node:
    def __init__(self, name):
        self.name = name
        self.next = None
        self.children = []

root = Node("root")
kid = Node("kid")
root.children.append(kid)
kid.next = root
root.next = root
r = roundtrip(root)
print(r.name, r.next is r, r.children[0].next is r, r.children[0].name, type(r).__name__)

# A ring of instances.
nodes = [Node(str(i)) for i in range(50)]
for i in range(50):
    nodes[i].next = nodes[(i + 1) % 50]
ring = roundtrip(nodes)
print(all([ring[i].next is ring[(i + 1) % 50] for i in range(50)]))
n = ring[0]
for _ in range(50):
    n = n.next
print(n is ring[0])

# Strings and tuples shared by identity are still equal after a round trip.
s = "some shared text"
out = roundtrip([s, s, (s, s)])
print(out[0] == out[1] == out[2][0], out[0])

# One dumps call keeps identity between two values; two calls do not.
x = [1]
both = roundtrip((x, x))
print(both[0] is both[1])
first = pickle.loads(pickle.dumps(x))
second = pickle.loads(pickle.dumps(x))
print(first is second, first == second)
