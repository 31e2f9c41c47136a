# Whole-game saves keep exact state and never run script pickle hooks: a
# __reduce__, __getstate__ or __setstate__ that printed, or that dropped or
# changed state, would make the split run differ from the straight one.
import spindle
import stackless


class Ledger:
    def __init__(self):
        self.entries = []
        self.cache = {"hot": 1}

    def __reduce__(self):
        print("reduce ran")
        return (Ledger, ())

    def __getstate__(self):
        print("getstate ran")
        return {}

    def __setstate__(self, state):
        print("setstate ran")


class Err(Exception):
    def __init__(self, code):
        super().__init__("code " + str(code))
        self.code = code


ledger = Ledger()


def keeper():
    caught = None
    while True:
        ledger.entries.append(spindle.frame())
        ledger.cache["n"] = len(ledger.entries)
        try:
            if spindle.frame() % 3 == 0:
                raise Err(spindle.frame())
        except Err as e:
            caught = e
        print(spindle.frame(), ledger.entries[-3:], ledger.cache, caught.args if caught else None)
        spindle.next_frame()


stackless.tasklet(keeper)()
