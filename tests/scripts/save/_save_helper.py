# Imported by imported_module.py: a script module the save must carry whole.
import spindle

registry = {}


class Counter:
    def __init__(self, start):
        self.value = start

    def bump(self, by=1):
        self.value += by
        return self.value


def make_scaler(factor):
    def scale(x):
        return x * factor
    return scale


def tick_forever(counter, scale):
    while True:
        registry[spindle.frame()] = scale(counter.bump())
        spindle.next_frame()
