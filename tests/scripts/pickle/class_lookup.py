# Classes go by module and qualified name, and one that cannot be found
# there is refused with CPython's exception and words (Stackless 3.7's are
# the same): a local class, a class deleted or rebound after its instances
# were made. Nested classes are found through their outer class.
import pickle


class Outer:
    class Inner:
        def __init__(self):
            self.v = 7


def make_local():
    class Local:
        pass
    return Local()


class Gone:
    pass


gone = Gone()
del Gone


class Twin:
    pass


first_twin = Twin()


class Twin:
    pass


def attempt(label, value):
    try:
        back = pickle.loads(pickle.dumps(value))
        print(label, "ok", type(back).__name__)
    except (pickle.PicklingError, AttributeError) as e:
        print(label, type(e).__name__, e)


attempt("nested", Outer.Inner())
attempt("nested class", [Outer.Inner, Outer])
attempt("local instance", make_local())
attempt("local in list", [1, 2, {"k": make_local()}])
attempt("local class", type(make_local()))
attempt("deleted class", gone)
attempt("rebound class", first_twin)
attempt("rebound class itself", type(first_twin))
