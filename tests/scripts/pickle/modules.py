# Objects of another script module pickle by that module's name; modules
# themselves are not values CPython pickles, but what they hold is.
import pickle
import _pickle_helper
from _pickle_helper import Crate, double

c = Crate([1, 2, 3])
c2 = pickle.loads(pickle.dumps(c))
print(type(c2) is _pickle_helper.Crate, c2.count(), c2.items)
print(pickle.loads(pickle.dumps(double))(21), pickle.loads(pickle.dumps(_pickle_helper.double)) is double)
print(pickle.loads(pickle.dumps([Crate, Crate.count, c.count]))[2]())
data = pickle.dumps({"crates": [c, c], "fn": double})
back = pickle.loads(data)
print(back["crates"][0] is back["crates"][1], back["fn"](5))
