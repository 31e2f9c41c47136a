# Frozensets pickle as frozensets (identity kept, usable as keys again),
# under every protocol, as in Stackless.
import pickle
f = frozenset([3, 1, 2])
data = {"f": f, "again": f, "nested": frozenset([frozenset([1]), frozenset()]), "keyed": {frozenset([5]): "v"}}
for proto in range(5):
    back = pickle.loads(pickle.dumps(data, proto))
    print(proto, back, back["f"] is back["again"], type(back["f"]).__name__, back["keyed"][frozenset([5])])
print(pickle.loads(pickle.dumps(frozenset())) == frozenset(), type(pickle.loads(pickle.dumps(frozenset()))).__name__)
