# spindle.next_frame() and spindle.sleep() inside calls from C++ (list()
# over a script iterator, a key= function): the tasklet waits there with its
# C++ frames, later frames resume it, and the agents keep their own pace.
import spindle
import stackless

class Ticks:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        spindle.next_frame()
        return spindle.frame()

def key(x):
    spindle.sleep(2)
    return -x

def walker(name, n):
    me = stackless.getcurrent()
    print(name, "starts at frame", spindle.frame())
    print(name, "list over frames", list(Ticks(n)))
    print(name, "sorted", sorted([1, 2, 3], key=key), "at frame", spindle.frame())
    print(name, "nesting", me.nesting_level, "restorable", me.restorable)

def watcher(others):
    for i in range(6):
        spindle.next_frame()
        print("frame", spindle.frame(), "waiting inside C++:", [t.nesting_level > 0 for t in others])

a = stackless.tasklet(walker)("a", 1)
b = stackless.tasklet(walker)("b", 3)
stackless.tasklet(watcher)([a, b])
