# The time slice preempts a tasklet inside a dunder the VM calls itself
# (__getitem__, __setitem__, __len__, __str__ in print and f-strings): each
# runs as a script frame, so round-robin goes on inside it.
import stackless

trace = []

def spin(name, n):
    for i in range(n):
        if not trace or trace[-1] != name:
            trace.append(name)

class Busy:
    def __init__(self, name):
        self.name = name
    def __getitem__(self, i):
        spin(self.name, 300)
        return i
    def __setitem__(self, i, v):
        spin(self.name, 300)
    def __len__(self):
        spin(self.name, 300)
        return 1
    def __str__(self):
        spin(self.name, 300)
        return self.name

def worker(name, kind):
    b = Busy(name)
    if kind == "getitem":
        b[0]
    elif kind == "setitem":
        b[0] = 1
    elif kind == "len":
        len(b)
    elif kind == "print":
        print("printed", b)
    else:
        f"{b}"

for kind in ["getitem", "setitem", "len", "print", "fstring"]:
    trace = []
    stackless.tasklet(worker)("a", kind)
    stackless.tasklet(worker)("b", kind)
    stackless.run()
    print(kind, "switches inside:", len(trace) > 2)
