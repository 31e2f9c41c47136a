# Reduce values inside object graphs: shared arguments stay shared, a state
# or a list/dict items iterator may refer back to the object, append and
# __setitem__ run in CPython's order, and an object reduced once is
# referenced after.
import pickle
class Pt:
    def __init__(self, x, y): self.x = x; self.y = y
    def __reduce__(self): return (make_pt, (self.x, self.y))
def make_pt(x, y): return Pt(x, y)
p = pickle.loads(pickle.dumps([Pt(1, 2)]))[0]
print(type(p).__name__, p.x, p.y)
class Q:
    def __reduce__(self): return (list, ([1, 2],))
print(pickle.loads(pickle.dumps(Q())))
class Holder:
    def __init__(self): self.items = {}
    def __setitem__(self, k, v): print('setitem', k, v); self.items[k] = v
    def append(self, v): print('append', v)
    def __reduce__(self): return (Holder, (), None, iter([1, 2]), iter([('a', 1)]))
h = pickle.loads(pickle.dumps(Holder()))
print(h.items)
class Shared:
    pass
s = Shared()
class Wrap:
    def __init__(self, s): self.s = s
    def __reduce__(self): return (Wrap, (self.s,))
w = pickle.loads(pickle.dumps([s, Wrap(s), Wrap(s)]))
print(w[1].s is w[0], w[2].s is w[0], w[1] is w[2])
class Cyc:
    def __init__(self): self.me = self
    def __reduce__(self): return (Cyc2, (), {'me': self})
class Cyc2: pass
c = pickle.loads(pickle.dumps(Cyc()))
print(type(c).__name__, c.me is c)
class GS:
    def __init__(self): self.a = [1]; self.b = self.a
    def __getstate__(self): return {'a': self.a, 'b': self.b}
g = pickle.loads(pickle.dumps(GS()))
print(g.a is g.b)
class WithInit:
    def __init__(self, v): print('init', v); self.v = v
w = pickle.loads(pickle.dumps(WithInit(3)))
print(w.v)
class RE:
    def __reduce_ex__(self, p): return (RE, (), None)
print(type(pickle.loads(pickle.dumps(RE()))).__name__)
class Twice:
    def __reduce__(self): print('Twice reduce'); return (Twice, ())
t = Twice()
r = pickle.loads(pickle.dumps([t, t, (t,)]))
print(r[0] is r[1], r[2][0] is r[0])
