# What cannot be pickled, and the exception hierarchy.
import pickle

print(issubclass(pickle.PicklingError, pickle.PickleError), issubclass(pickle.UnpicklingError, pickle.PickleError))
print(issubclass(pickle.PickleError, Exception), pickle.PickleError.__name__)


def check(label, v):
    try:
        pickle.dumps(v)
        print(label, "pickled")
    except (pickle.PicklingError, AttributeError, TypeError) as e:
        print(label, "refused")


def outer():
    def inner():
        pass
    return inner


check("lambda", lambda: 1)
check("local function", outer())
check("nested lambda", [1, {"k": lambda: 2}])
check("dict view", {}.keys())

# A failure leaves nothing half-written: the next dumps works.
try:
    pickle.dumps([1, 2, lambda: 3])
except pickle.PicklingError as e:
    print("PicklingError")
print(pickle.loads(pickle.dumps([1, 2])))

# loads of something that is not a pickle.
for bad in ["", "junk", "SPKL"]:
    try:
        pickle.loads(bad)
        print("loaded?")
    except (pickle.UnpicklingError, TypeError, ValueError):
        print("refused")
