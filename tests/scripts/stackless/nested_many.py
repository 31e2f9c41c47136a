# A thousand tasklets waiting inside calls from C++ at once (sorted's key,
# sum() and max() over a script iterator), each on a stack of its own.
import stackless
ch = stackless.channel()
results = {}
class Feed:
    def __init__(self, n): self.n = n
    def __iter__(self): return self
    def __next__(self):
        if self.n == 0: raise StopIteration
        self.n -= 1
        return ch.receive()
def agent(i):
    keys = sorted([i, i + 1, i + 2], key=lambda x: ch.receive() * 0 - x)
    results[i] = (keys, sum(Feed(2)), max(Feed(1), default=None))
N = 1000
ts = [stackless.tasklet(agent)(i) for i in range(N)]
stackless.run()
print("blocked", len([t for t in ts if t.blocked]), "balance", ch.balance)
print("not restorable", len([t for t in ts if not t.restorable]), "nesting", set([t.nesting_level for t in ts]))
print("uncollectables", len(stackless.uncollectables))
sent = 0
while ch.balance < 0:
    ch.send(sent)
    sent += 1
print("sent", sent, "alive", len([t for t in ts if t.alive]))
print(results[0], results[N - 1])
print("uncollectables", len(stackless.uncollectables))
