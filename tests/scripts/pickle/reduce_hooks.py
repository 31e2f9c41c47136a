# Script classes' pickle hooks, as Stackless 3.7 runs them: __reduce__ and
# __reduce_ex__ (2- to 5-tuples, a str naming a global), __getstate__ and
# __setstate__, __getnewargs__, and the errors for bad reduce values.
import pickle
class A:
    def __init__(self, x): self.x = x
    def __reduce__(self):
        print('reduce called')
        return (A, (self.x + 1,))
a = pickle.loads(pickle.dumps(A(1)))
print(type(a).__name__, a.x)

class B:
    def __init__(self): self.v = 1
    def __reduce_ex__(self, proto):
        print('reduce_ex', proto)
        return (B, (), {'v': 42, 'w': 'x'})
b = pickle.loads(pickle.dumps(B()))
print(b.v, b.w)
b = pickle.loads(pickle.dumps(B(), 2))

# (__getstate__ with a __setstate__ that updates self.__dict__:
# setstate_dict.py.)

class D:
    def __getstate__(self): return {'q': 5}
d = pickle.loads(pickle.dumps(D()))
print(d.q)

class E:
    def __getstate__(self): return 0
    def __setstate__(self, s): print('E setstate', s)
e = pickle.loads(pickle.dumps(E()))
print(type(e).__name__)

class F:
    def __getstate__(self): return (1, 2)
    def __setstate__(self, s): print('F setstate', s); self.s = s
f = pickle.loads(pickle.dumps(F()))
print(f.s)


def make_list(*a): return list(a)
class H:
    def __reduce__(self):
        return (make_list, (1, 2), None, iter([3, 4]))
print(pickle.loads(pickle.dumps(H())))
class I:
    def __reduce__(self):
        return (dict, (), None, None, iter([('a', 1), ('b', 2)]))
print(pickle.loads(pickle.dumps(I())))

for bad in [42, (), (1,), (A,), (A, 5), (A, (), None, None, None, None, None), 'nosuch', None]:
    class Bad:
        def __reduce__(self): return bad
    try:
        pickle.dumps(Bad())
        print('ok', bad)
    except Exception as ex:
        print(type(ex).__name__, str(ex).split(':')[-1])

class J:
    def __reduce__(self): return 'j_global'
j_global = J()
print(pickle.loads(pickle.dumps(j_global)) is j_global)
class K:
    def __reduce__(self): return (K, (), None, [1])
try:
    pickle.loads(pickle.dumps(K()))
except Exception as ex:
    print(type(ex).__name__, ex)

class L:
    def __init__(self, a, b): self.a = a; self.b = b
    def __getnewargs__(self): return (self.a, self.b)
l = pickle.loads(pickle.dumps(L(1, 2), 2))
print(l.a, l.b)
class M:
    def __init__(self): self.child = [self]
    def __reduce__(self): return (M2, (), self.__dict__)
class M2: pass
m = pickle.loads(pickle.dumps(M()))
print(type(m).__name__, type(m.child[0]).__name__)
x = M()
p = pickle.loads(pickle.dumps([x, x]))
print(p[0] is p[1])
class SS:
    def __init__(self): self.k = 1
    def __setstate__(self, st): print("SS", st); self.__dict__ = st
s = pickle.loads(pickle.dumps(SS()))
print(s.k)
class ST:
    def __reduce__(self): return (ST, (), ({'a': 1}, {'b': 2}))
try:
    s = pickle.loads(pickle.dumps(ST()))
    print(s.a, s.b)
except Exception as ex:
    print(type(ex).__name__, ex)
