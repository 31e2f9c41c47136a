# Lambdas and local functions pickle by content (as Stackless pickles them
# once stackless is imported): code, module, defaults and closure cells,
# identity kept; tasklets parked inside them resume where they were.
import pickle
import stackless


def make_counter(start):
    count = start

    def bump(step=1):
        nonlocal count
        count += step
        return count

    def peek():
        return count
    return bump, peek


bump, peek = make_counter(10)
bump()
bump2, peek2 = pickle.loads(pickle.dumps((bump, peek)))
bump2(5)
print(peek(), peek2(), bump2.__name__)
print(pickle.loads(pickle.dumps(lambda x, y=3: x * y))(4))

# The same function twice, and a function inside its own closure.
def make_fact():
    def fact(n):
        return 1 if n <= 1 else n * fact(n - 1)
    return fact


fact = make_fact()
a, b = pickle.loads(pickle.dumps([fact, fact]))
print(a is b, a(6))

# A tasklet parked inside a local function and inside a lambda.
log = []


def record(*entry):
    log.append(entry)


def agent(name, rounds):
    seen = []

    def step(i):
        seen.append(i)
        stackless.schedule()
        log.append((name, i, len(seen)))

    for i in range(rounds):
        step(i)
    return seen


def run_both(copy):
    t = stackless.tasklet(agent)("ant", 3)
    w = stackless.tasklet(lambda n: record("lambda", n, stackless.schedule() is not None))(7)
    stackless.schedule()
    if copy:
        t.remove()
        w.remove()
        data = pickle.dumps((t, w))
        t.kill()
        w.kill()
        t, w = pickle.loads(data)
        t.insert()
        w.insert()
    stackless.run()
    return list(log)


straight = run_both(False)
log.clear()
resumed = run_both(True)
print(straight)
print(resumed == straight)
