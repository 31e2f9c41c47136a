# What cannot be pickled, and the exception hierarchy. (Functions not found
# by name, lambdas included, pickle by content once stackless is imported,
# as in Stackless: Spindle always has it.)
import pickle
import stackless

print(issubclass(pickle.PicklingError, pickle.PickleError), issubclass(pickle.UnpicklingError, pickle.PickleError))
print(issubclass(pickle.PickleError, Exception), pickle.PickleError.__name__)


def check(label, v):
    try:
        pickle.dumps(v)
        print(label, "pickled")
    except (pickle.PicklingError, AttributeError, TypeError, RuntimeError) as e:
        print(label, "refused")


def outer():
    def inner():
        pass
    return inner


check("lambda", lambda: 1)
check("local function", outer())
check("nested lambda", [1, {"k": lambda: 2}])
check("running tasklet", stackless.current)

# A failure leaves nothing half-written: the next dumps works.
try:
    pickle.dumps([1, 2, stackless.current])
except (pickle.PicklingError, RuntimeError) as e:
    print("refused")
print(pickle.loads(pickle.dumps([1, 2])))

# loads of something that is not a pickle.
for bad in ["", "junk", "SPKL"]:
    try:
        pickle.loads(bad)
        print("loaded?")
    except (pickle.UnpicklingError, TypeError, ValueError):
        print("refused")
