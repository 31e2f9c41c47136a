# A tasklet's plain wrapper (the object stackless.tasklet() returns) that
# the script drops is garbage even while the tasklet lives: a parked agent
# then costs no wrapper. Asked for again, the tasklet gets an equal one. A
# subclass instance, or one with attributes, is kept as long as its tasklet.
import stackless


class Agent(stackless.tasklet):
    pass


inbox = stackless.channel()


def agent(tag):
    inbox.receive()
    me = stackless.getcurrent()
    print(tag, type(me).__name__, getattr(me, "role", "-"), me.alive, me is stackless.getcurrent())


a = Agent(agent)
a.role = "sub"
a("a")
stackless.tasklet(agent)("b")
a = None
stackless.run()
print("waiting:", -inbox.balance)
junk = None
for i in range(300000):
    junk = [i, junk] if i % 1000 else None
inbox.send(None)
inbox.send(None)
print("done", inbox.balance)
