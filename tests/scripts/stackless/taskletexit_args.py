# kill() raises TaskletExit with no arguments: args == () and repr "TaskletExit()".
import stackless

log = []
def body(name, ch):
    try:
        log.append(name + " start")
        if ch is not None:
            ch.receive()
        else:
            stackless.schedule_remove()
        log.append(name + " end")
    except TaskletExit as e:
        log.append(name + " exit " + repr(e.args) + " " + repr(e))
        raise
    finally:
        log.append(name + " finally")

ch = stackless.channel()
a = stackless.tasklet(body)("a", ch)
b = stackless.tasklet(body)("b", None)
c = stackless.tasklet(body)("c", ch)
stackless.run()
print(log); del log[:]
a.kill()
print(log, a.alive, ch.balance); del log[:]
b.kill(pending=True)
stackless.run()
print(log, b.alive); del log[:]
c.kill(pending=True)
stackless.schedule()
print(log, c.alive); del log[:]

def self_kill():
    try:
        stackless.current.kill()
    except TaskletExit as e:
        print("self kill", e.args, repr(e), str(e) == "")
stackless.tasklet(self_kill)()
stackless.run()

def catches():
    try:
        stackless.schedule_remove()
    except BaseException as e:
        print("caught", type(e).__name__, e.args)
t = stackless.tasklet(catches)()
stackless.run()
t.throw(TaskletExit)
print(t.alive)
