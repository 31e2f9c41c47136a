# A tasklet blocks inside __hash__ run by dict and set operations of the VM
# (literals, comprehensions, subscripts, stores, in): a script frame each.
import stackless
ch = stackless.channel()
class K:
    def __init__(self, n): self.n = n
    def __hash__(self): return ch.receive() * 0 + self.n
    def __eq__(self, other): return isinstance(other, K) and self.n == other.n
    def __repr__(self): return "K%d" % self.n
def feeder():
    i = 0
    while True:
        ch.send(i); i += 1
stackless.tasklet(feeder)()
a, b = K(1), K(2)
print(len({a: 1}), len({a}), {a: 1, b: 2, K(1): 3}, {a, b, K(2)}, {1: a, 2: b})
d = {a: "x"}
print(d[a], a in d, b in d, b not in d, a in {a}, b not in {a})
d[b] = "y"
d[K(1)] = "z"
print(d)
print({k: k.n for k in [a, b, K(1)]}, {k for k in [a, b, K(2)]})
try:
    d[K(3)]
except KeyError as e:
    print("KeyError", e)
class Bad:
    def __hash__(self): return "x"
try:
    {Bad(): 1}
except TypeError as e:
    print("TypeError", e)
try:
    Bad() in {1: 2}
except TypeError as e:
    print("TypeError", e)
class NoHash:
    __hash__ = None
try:
    {NoHash()}
except TypeError as e:
    print("TypeError", e)
print({K(-1): 1}[K(-1)], -1 in {K(-1)} , K(-1) in {-1}, K(5) in {5: 0})
