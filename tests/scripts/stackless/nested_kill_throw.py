# kill() and throw() into tasklets blocked inside a key= function: the
# exception is raised where they wait, finally blocks run as it unwinds.
import stackless
ch = stackless.channel()
log = []
def key(x):
    try:
        log.append("key waits %d" % x)
        return ch.receive()
    finally:
        log.append("key finally %d" % x)
def sorter(name):
    try:
        print(name, "sorted", sorted([3, 1, 2], key=key))
    except TaskletExit:
        log.append(name + " got TaskletExit")
        raise
    except ValueError as e:
        log.append(name + " got ValueError " + str(e))
        print(name, "after error, nesting", stackless.getcurrent().nesting_level, stackless.getcurrent().restorable)
    finally:
        log.append(name + " finally")
a = stackless.tasklet(sorter)("a")
b = stackless.tasklet(sorter)("b")
stackless.run()
print("blocked", a.blocked, b.blocked, ch.balance, a.nesting_level, a.restorable)
print("uncollectables", len(stackless.uncollectables), a in stackless.uncollectables)
a.kill()
print("a alive", a.alive, ch.balance)
b.throw(ValueError("boom"))
print("b alive", b.alive, ch.balance)
for e in log: print(e)
