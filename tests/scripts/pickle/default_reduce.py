# object's default reduction, as CPython's: __reduce_ex__(protocol) gives
# copyreg._reconstructor tuples for protocols 0 and 1 and copyreg.__newobj__
# ones for 2 and up (with __getnewargs__ and __getstate__), a class's own
# __reduce__ wins, and a class's __reduce_ex__ may start from super()'s.
# (Function addresses are left out of what is printed.)
import copyreg
import pickle


class E:
    pass


class A:
    def __init__(self):
        self.x = 1


class G:
    def __getstate__(self):
        return ("state",)

    def __setstate__(self, s):
        self.s = s


class N:
    def __new__(cls, *args):
        o = super().__new__(cls)
        o.args = args
        return o

    def __getnewargs__(self):
        return (1, 2)


class R:
    def __reduce__(self):
        return (R, ())


for obj in (E(), A(), G(), N(), R()):
    for proto in (0, 1, 2, 4):
        r = obj.__reduce_ex__(proto)
        print(type(obj).__name__, proto, len(r), r[0].__name__, r[1], r[2:] if len(r) > 2 else "")
print(E().__reduce__()[1], A().__reduce__()[2:])
print(copyreg.__newobj__(A).__class__.__name__, copyreg._reconstructor(A, object, None).__class__.__name__)
n = copyreg.__newobj__(N, 5)
print(n.args)


class Wrap:
    def __init__(self, v):
        self.v = v

    def __reduce_ex__(self, proto):
        r = super().__reduce_ex__(proto)
        print("super gave", r[0].__name__, r[1], r[2])
        return r


w = pickle.loads(pickle.dumps(Wrap(7), 2))
print(type(w).__name__, w.v)
w = pickle.loads(pickle.dumps(Wrap(8), 0))
print(type(w).__name__, w.v)
e = ValueError("bad", 1)
print(e.__reduce__(), e.__reduce_ex__(2))
e.note = "n"
print(e.__reduce__())
