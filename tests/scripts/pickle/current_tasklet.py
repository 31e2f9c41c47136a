# The current tasklet cannot be pickled, from main or from any other
# tasklet: Stackless's RuntimeError and words. A tasklet that is not
# current pickles wherever it is held.
import pickle
import stackless


def attempt(label, value):
    try:
        back = pickle.loads(pickle.dumps(value))
        print(label, "ok", type(back).__name__)
    except RuntimeError as e:
        print(label, type(e).__name__, e)


attempt("main, from main", stackless.current)
attempt("in a list", [1, stackless.getcurrent()])


def worker(other):
    attempt("current, from a tasklet", stackless.current)
    attempt("another tasklet", other)
    attempt("in a dict", {"me": stackless.getcurrent()})


idle = stackless.tasklet(worker)
stackless.tasklet(worker)(idle)
stackless.run()
