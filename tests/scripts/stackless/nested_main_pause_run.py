# Main waits inside a key function; a tasklet pauses with schedule_remove()
# inside one and is inserted again; run() is called from a key function.
import stackless
ch = stackless.channel()
def feeder():
    for v in (5, 4, 6):
        print("feeder sends", v, "main nesting", stackless.main.nesting_level)
        ch.send(v)
stackless.tasklet(feeder)()
# main itself blocks inside a key function
print("main sorted", sorted(["a", "b", "c"], key=lambda s: ch.receive()))
log = []
def pauser():
    def key(x):
        log.append(("paused in key", x))
        stackless.schedule_remove()
        log.append(("resumed in key", x))
        return x
    log.append(sorted([2, 1], key=key))
p = stackless.tasklet(pauser)()
stackless.run()
print("paused", p.paused, p.nesting_level, p.restorable)
p.insert()
stackless.run()
p.insert()
stackless.run()
print(p.alive, log)
# a nested run() inside a key function
def worker(n):
    log.append(("worker", n))
def runner_key(x):
    stackless.tasklet(worker)(x)
    stackless.run()
    return x
print(sorted([3, 1, 2], key=runner_key), log[-3:])
