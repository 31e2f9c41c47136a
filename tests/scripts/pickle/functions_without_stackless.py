# Without `import stackless`, Stackless's pickle refuses lambdas and local
# functions (TypeError); functions, methods and classes found by name pickle.
# (With the import they pickle by content: tests/scripts/pickle/ elsewhere.)
import pickle


def top(x):
    return x + 1


def outer():
    def inner():
        return 1
    return inner


class K:
    def m(self):
        return 2


for label, obj in [("top", top), ("lambda", lambda: 0), ("inner", outer()), ("method", K().m), ("class", K), ("len", len)]:
    try:
        back = pickle.loads(pickle.dumps(obj))
        print(label, "ok", back is obj)
    except Exception as e:
        print(label, type(e).__name__, str(e).split(" at 0x")[0])
