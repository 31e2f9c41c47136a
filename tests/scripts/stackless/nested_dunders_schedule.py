# schedule() inside __eq__ called by a dict lookup on a hash collision,
# inside __repr__ reached through repr([obj]), and inside __next__ called by
# list(): each waits inside the call from C++ while another tasklet ticks.
import stackless
log = []
class K:
    def __init__(self, n): self.n = n
    def __hash__(self): return 1
    def __eq__(self, o):
        t = stackless.getcurrent()
        log.append(("eq", self.n, o.n, t.nesting_level))
        stackless.schedule()
        return self.n == o.n
class R:
    def __repr__(self):
        log.append(("repr", stackless.getcurrent().nesting_level))
        stackless.schedule()
        return "R!"
class It:
    def __init__(self): self.i = 0
    def __iter__(self): return self
    def __next__(self):
        self.i += 1
        if self.i > 3: raise StopIteration
        log.append(("next", self.i, stackless.getcurrent().nesting_level))
        stackless.schedule()
        return self.i * 10
def worker():
    d = {K(1): "a", K(2): "b"}
    print("lookup", d[K(2)])
    print("repr", repr([R(), 5]))
    print("list", list(It()))
def ticker():
    for i in range(12):
        log.append(("tick", i))
        stackless.schedule()
stackless.tasklet(worker)()
stackless.tasklet(ticker)()
stackless.run()
for e in log: print(e)
