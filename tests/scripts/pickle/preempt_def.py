# A tasklet preempted at every instruction of a function that makes local
# functions, lambdas and closures as it runs (so some saves land between
# the code, the closure and MAKE_FUNCTION) pickles, and its copy finishes
# with what the uninterrupted run returns.
import pickle
import stackless

last = None


def record(total):
    # A global by name: a frame stopped in here holds no object to copy.
    global last
    last = total


def agent(n):
    total = 0
    for i in range(n):
        def f(x, k=i):
            return x + k + total
        g = lambda y: y * 2
        try:
            parts = [f(i), g(i), {i: i}, (i, f(0))]
            total += parts[0] + parts[1]
        finally:
            total += 1
    record(total)


agent(3)
expected = last
failures = []
preempted = 0
for budget in range(1, 400):
    last = None
    t = stackless.tasklet(agent)(3)
    if stackless.run(budget) is None:
        continue
    preempted += 1
    t.remove()
    try:
        data = pickle.dumps(t)
    except Exception as e:
        failures.append(type(e).__name__)
        t.kill()
        continue
    t.kill()
    copy = pickle.loads(data)
    copy.insert()
    stackless.run()
    if last != expected:
        failures.append(budget)
    last = None
print(expected, preempted > 20, failures)
