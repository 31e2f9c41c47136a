# Spindle's own pickle: the exact errors, the format's header, and what a
# script sees when it damages a pickle (CPython's messages and bytes differ).
import pickle
import stackless


def dumps_error(v):
    try:
        pickle.dumps(v)
        return "pickled"
    except pickle.PicklingError as e:
        return str(e)
    except TypeError as e:  # dict views, refused as in Stackless 3.7
        return "TypeError: " + str(e)
    except RuntimeError as e:  # the current tasklet, refused as in Stackless 3.7
        return "RuntimeError: " + str(e)


def loads_error(data):
    try:
        pickle.loads(data)
        return "loaded"
    except pickle.UnpicklingError as e:
        return str(e)


class Agent:
    def __init__(self, name):
        self.name = name
        self.inbox = []
        self.brain = {"goal": "wander", "plan": [1, 2]}


a = Agent("ant")
a.brain["plan"].append(super(Agent, a))
print(dumps_error([0, a]))
print(dumps_error({"f": {}.keys()}))
print(len(pickle.dumps(lambda: 0)) > 0)
print(dumps_error({(1, "k"): [{}.keys()]}))
print(dumps_error(stackless.current))

data = pickle.dumps(None)
print(len(data), data[:4], [ord(c) for c in data])
print([ord(c) for c in pickle.dumps([1, -1, "é"])])
print(len(pickle.dumps(Agent("bee"))), len(pickle.dumps([Agent("x"), Agent("y")])))

good = pickle.dumps([Agent("cat"), {"k": (1, 2.5)}])
print(loads_error(good[:10]))
print(loads_error(good + "x"))
print(loads_error("SPKL" + chr(9) + good[5:]))
print(loads_error(good[:5] + chr(200) + good[6:]))
print(loads_error(good[:5] + "\u0100"))
print(loads_error(""))

# Every truncation and every single-bit flip: an error or a value, never a crash.
errors = 0
for n in range(len(good)):
    if loads_error(good[:n]) != "loaded":
        errors += 1
print("truncations refused:", errors, "of", len(good))
outcomes = {"loaded": 0, "refused": 0}
for i in range(len(good)):
    for bit in range(8):
        damaged = good[:i] + chr(ord(good[i]) ^ (1 << bit)) + good[i + 1:]
        outcomes["loaded" if loads_error(damaged) == "loaded" else "refused"] += 1
print("bit flips:", outcomes)
