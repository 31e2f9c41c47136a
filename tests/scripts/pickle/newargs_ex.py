# __getnewargs_ex__ with keyword arguments, at every protocol: the class is
# made as object.__new__ makes it (the arguments unused, as in CPython for a
# class without its own __new__), then its state restored. One dict of
# keyword arguments shared by two objects is written once.
import pickle

SHARED = {"b": 9}


class P:
    def __init__(self, a, b=2):
        self.a = a
        self.b = b

    def __getnewargs_ex__(self):
        return (self.a,), {"b": self.b}

    def __repr__(self):
        return "P(%r, %r)" % (self.a, self.b)


class Shared(P):
    def __getnewargs_ex__(self):
        return (self.a,), SHARED


class Bad(P):
    def __init__(self, result):
        self.result = result

    def __getnewargs_ex__(self):
        return self.result


for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
    back = pickle.loads(pickle.dumps([P(1, 5), P("x"), Shared(3, 9), Shared(4, 9)], protocol))
    print(protocol, back, type(back[0]).__name__)

for result in [((1,), {}), [1], ((1,), {}, 3), ([1], {}), ((1,), [("b", 2)])]:
    try:
        pickle.dumps(Bad(result), 2)
        print("pickled", result)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
