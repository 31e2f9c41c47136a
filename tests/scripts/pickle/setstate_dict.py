# An instance's __dict__ is its own, live, as in CPython: what a
# __setstate__ does with self.__dict__.update(state) or self.__dict__ = state
# is what the instance has.
import pickle
class C:
    def __init__(self): self.a = 1; self.b = 2
    def __getstate__(self):
        print('getstate')
        return {'a': self.a * 10}
    def __setstate__(self, st):
        print('setstate', st)
        self.__dict__.update(st)
        self.extra = True
c = pickle.loads(pickle.dumps(C()))
print(c.a, c.extra, hasattr(c, 'b'), sorted(c.__dict__.items()))
class P:
    def __init__(self): self.x = 1
p = P()
d = p.__dict__
d['y'] = 2
p.z = 3
print(p.y, d)
del p.x
print(d, p.__dict__ is d)
q = pickle.loads(pickle.dumps(p))
print(q.__dict__)
s = P()
s.__dict__ = {'k': 5, 'j': 6}
print(s.k, s.j, s.__dict__, pickle.loads(pickle.dumps(s)).j)
try:
    s.__dict__ = 5
except TypeError as e:
    print(e)
