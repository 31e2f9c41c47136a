# A tasklet preempted by run(timeout) in the middle of a loop pickles between
# two instructions; the copy finishes the loop with the same result.
import pickle
import stackless


def busy(n, out):
    total = 0
    for i in range(n):
        total += i * i
        out.append(i)
    print("busy done", total, len(out))


t = stackless.tasklet(busy)(20000, [])
v = stackless.run(500)
print(v is t, t.alive, t.paused)
data = pickle.dumps(t)
t.kill()
c = pickle.loads(data)
print(c.alive, c.paused)
c.insert()
stackless.run()
print(c.alive)
