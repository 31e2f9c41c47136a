# Every iterator kind pickles with its position, as in Stackless 3.7: dict
# and set iterators as a list iterator over the items left, enumerate, zip,
# map, filter and reversed with their parts. Dict views are refused.
import pickle
def rt(v): return pickle.loads(pickle.dumps(v))
d = {'a': 1, 'b': 2, 'c': 3}
for name, mk in [('keys', lambda: iter(d.keys())), ('values', lambda: iter(d.values())), ('items', lambda: iter(d.items())), ('dict', lambda: iter(d))]:
    it = mk(); next(it)
    it2 = rt(it)
    print(name, list(it2), list(it))
s = {1, 2, 3, 4}
it = iter(s); next(it)
print(sorted(rt(it)))
e = enumerate(['x', 'y', 'z'], 5); next(e)
print(list(rt(e)), list(e))
z = zip([1, 2, 3], 'abc'); next(z)
print(list(rt(z)))
m = map(abs, [-1, -2, -3]); next(m)
print(list(rt(m)))
f = filter(None, [0, 1, 0, 2, 3]); next(f)
print(list(rt(f)))
r = reversed([1, 2, 3, 4]); next(r)
print(list(rt(r)), list(r))
r = reversed((1, 2, 3)); print(list(rt(r)))
try:
    pickle.dumps(d.keys())
except Exception as ex:
    print(type(ex).__name__, ex)
try:
    pickle.dumps(d.items())
except Exception as ex:
    print(type(ex).__name__, ex)
try:
    pickle.dumps(d.values())
except Exception as ex:
    print(type(ex).__name__, ex)
it = iter(d); next(it)
x = rt([it, d])
print(list(x[0]), x[1])
d2 = {}
it = iter(d2)
print(list(rt(it)))
e = enumerate(iter(d.items()))
next(e)
print(list(rt(e)))
# exhausted
m = map(str, [1]); list(m); print(list(rt(m)))
z = zip(); print(list(rt(z)))
def double(x): return x * 2
m = map(double, range(4)); next(m); print(list(rt(m)))
r = reversed(range(5)); next(r); print(list(rt(r)))
r = reversed('abc'); next(r); print(list(rt(r)))
class Seq:
    def __getitem__(self, i):
        if i >= 4: raise IndexError(i)
        return i * 10
it = iter(Seq()); next(it)
print(list(rt(it)), list(it))
