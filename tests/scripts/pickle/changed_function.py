# A game saved before a script edit resumes exactly: the frame parked in the
# edited function finishes with the code saved with it, while calls made
# after the load run the function as it is now.
import pickle
import stackless

log = []


def steps(n):
    stackless.schedule()
    return [n]


def agent(name, rounds):
    hits = 0
    for i in range(rounds):
        parts = [name, *steps(hits)]
        hits += 1
        log.append(parts)
    return hits


t = stackless.tasklet(agent)("ant", 3)
stackless.schedule()
t.remove()
data = pickle.dumps(t)
t.kill()


# The edit: steps no longer yields, and returns two values.
def steps(n):
    return [n, n * 10]


u = pickle.loads(data)
u.insert()
stackless.run()
print(log)


# The edited agent itself: a frame of the old agent keeps its old loop.
def agent(name, rounds):
    return "new agent"


log.clear()
v = pickle.loads(data)
v.insert()
stackless.run()
print(log, agent("x", 1))
