# More of the hooks: falsy and None states under each protocol, the order
# of __reduce_ex__ and __reduce__, errors raised inside hooks, bad states,
# and exception subclasses with attributes.
import pickle
class S:
    def __setstate__(self, st): print('S setstate', st)
pickle.loads(pickle.dumps(S()))
class E:
    def __init__(self): self.z = 1
    def __getstate__(self): return 0
    def __setstate__(self, s): print('E setstate', s)
for p in [0, 1, 2, 3]:
    e = pickle.loads(pickle.dumps(E(), p)); print(p, type(e).__name__, hasattr(e, 'z'))
class N:
    def __getstate__(self): return None
    def __setstate__(self, s): print('N setstate', s)
pickle.loads(pickle.dumps(N()))
class R:
    def __reduce_ex__(self, p): return 42
try: pickle.dumps(R())
except Exception as ex: print(type(ex).__name__, ex)
class R2:
    def __reduce__(self): return (5, ())
try: pickle.dumps(R2())
except Exception as ex: print(type(ex).__name__, ex)
class R3:
    def __reduce__(self): return (dict, (), None, None, [1])
try: pickle.dumps(R3())
except Exception as ex: print(type(ex).__name__, ex)
class R4:
    def __reduce__(self): return (dict, (), None, None, iter([1]))
try: pickle.dumps(R4())
except Exception as ex: print(type(ex).__name__, ex)
class R5:
    def __reduce__(self): return (R5, (), 7)
try: pickle.loads(pickle.dumps(R5()))
except Exception as ex: print(type(ex).__name__, ex)
class R6:
    def __reduce__(self): return (R6, (), (None, 5))
try: pickle.loads(pickle.dumps(R6()))
except Exception as ex: print(type(ex).__name__, ex)
class G:
    def __getnewargs__(self): return 5
try: pickle.dumps(G())
except Exception as ex: print(type(ex).__name__, ex)
class GE:
    def __init__(self, a): self.a = a
    def __getnewargs_ex__(self): return ((self.a,), {})
g = pickle.loads(pickle.dumps(GE(3))); print(g.a)
class Boom:
    def __reduce__(self): raise ValueError('boom')
try: pickle.dumps([Boom()])
except Exception as ex: print(type(ex).__name__, ex)
def fail_build(): raise KeyError('k')
class LB:
    def __reduce__(self): return (fail_build, ())
try: pickle.loads(pickle.dumps(LB()))
except Exception as ex: print(type(ex).__name__, ex)
class Sub(Exception): pass
e = Sub('a', 1); e.note = 'n'
e2 = pickle.loads(pickle.dumps(e)); print(type(e2).__name__, e2.args, e2.note)
class Both:
    def __reduce_ex__(self, p): print('rex', p); return (Both, ())
    def __reduce__(self): print('r'); return (Both, ())
pickle.dumps(Both())
class OnlyR:
    def __reduce__(self): print('onlyr'); return (OnlyR, ())
pickle.dumps(OnlyR(), 0)
class ReducedError(Exception):
    def __reduce__(self):
        print('ReducedError reduce')
        return (ReducedError, ('x',), {'k': 1})
e = pickle.loads(pickle.dumps(ReducedError('a')))
print(e.args, e.k)
