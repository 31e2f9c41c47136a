import stackless

names = {}
names[stackless.main] = "main"


def name(t):
    if t is None:
        return "None"
    if t in names:
        return names[t]
    return "?"


def mk(nm, f, *args):
    t = stackless.tasklet(f)(*args)
    names[t] = nm
    return t


def flags(t):
    return "alive={0} blocked={1} scheduled={2} paused={3}".format(
        t.alive, t.blocked, t.scheduled, t.paused)


def body(nm):
    print(nm, "body starts")
    try:
        stackless.schedule()
        print(nm, "after schedule")
        stackless.schedule()
        print(nm, "body ends")
    except TaskletExit:
        print(nm, "got TaskletExit")
        raise
    finally:
        print(nm, "finally")


def blocked_body(nm, ch, sending):
    try:
        if sending:
            print(nm, "sending")
            ch.send(nm)
        else:
            print(nm, "receiving")
            ch.receive()
        print(nm, "not reached")
    except TaskletExit:
        print(nm, "TaskletExit inside channel op, balance", ch.balance)
        raise
    finally:
        print(nm, "finally")


def other(nm):
    print(nm, "runs")


print("--- kill a new tasklet that never ran")
t = mk("t", body, "t")
print("before", flags(t), "runcount", stackless.getruncount())
t.kill()
print("after", flags(t), "runcount", stackless.getruncount())

print("--- kill a bound tasklet without arguments (not alive)")
t = stackless.tasklet(body)
print("before", flags(t))
t.kill()
print("after", flags(t))

print("--- kill a runnable tasklet (pending=False)")
t = mk("t", body, "t")
mk("x", other, "x")
stackless.schedule()
print("main: t", flags(t))
mk("y", other, "y")
t.kill()
print("main after kill: t", flags(t))
stackless.run()

print("--- kill a runnable tasklet (pending=True)")
t = mk("t", body, "t")
stackless.schedule()
mk("y", other, "y")
t.kill(pending=True)
print("main after kill(pending=True): t", flags(t))
stackless.run()
print("t", flags(t))

print("--- kill a blocked receiver (pending=False)")
ch = stackless.channel()
b = mk("b", blocked_body, "b", ch, False)
stackless.run()
mk("y", other, "y")
print("before", flags(b), "balance", ch.balance)
b.kill()
print("after", flags(b), "balance", ch.balance)
stackless.run()

print("--- kill a blocked sender (pending=True)")
b1 = mk("b1", blocked_body, "b1", ch, True)
b2 = mk("b2", blocked_body, "b2", ch, True)
stackless.run()
mk("y", other, "y")
print("before", flags(b1), "balance", ch.balance, "queue head", name(ch.queue))
b1.kill(pending=True)
print("after", flags(b1), "balance", ch.balance, "queue head", name(ch.queue))
stackless.run()
print("after run", flags(b1), "b2", flags(b2))
print("received", ch.receive(), "balance", ch.balance)
stackless.run()

print("--- kill a paused tasklet")
t = mk("t", body, "t")
stackless.schedule()
t.remove()
mk("y", other, "y")
print("before", flags(t))
t.kill()
print("after", flags(t))
stackless.run()

print("--- kill a paused tasklet (pending=True)")
t = mk("t", body, "t")
stackless.schedule()
t.remove()
mk("y", other, "y")
t.kill(pending=True)
print("after", flags(t))
stackless.run()
print("after run", flags(t))

print("--- kill a dead tasklet")
t.kill()
t.kill(pending=True)
print("no error", flags(t))

print("--- kill the current tasklet")


def selfkill(nm):
    try:
        stackless.current.kill()
        print(nm, "not reached")
    except TaskletExit:
        print(nm, "caught TaskletExit from self-kill")
    print(nm, "continues")
    stackless.current.kill()
    print(nm, "not reached either")


t = mk("sk", selfkill, "sk")
stackless.run()
print("sk", flags(t))
try:
    stackless.main.kill()
except TaskletExit:
    print("main caught TaskletExit from main.kill()")

print("--- a tasklet catching TaskletExit keeps running")


def defiant(nm, ch):
    n = 0
    while n < 2:
        try:
            ch.receive()
        except TaskletExit:
            n = n + 1
            print(nm, "ignores TaskletExit", n)
    print(nm, "gives up")


ch = stackless.channel()
t = mk("st", defiant, "st", ch)
stackless.run()
t.kill()
print("after first kill", flags(t), "balance", ch.balance)
t.kill()
print("after second kill", flags(t), "balance", ch.balance)

print("--- throw with pending=False and pending=True")


def catcher(nm, ch):
    try:
        ch.receive()
    except ValueError as e:
        print(nm, "caught ValueError", e.args)
    print(nm, "end")


ch = stackless.channel()
c = mk("c", catcher, "c", ch)
stackless.run()
mk("y", other, "y")
c.throw(ValueError, "now")
print("main after throw", flags(c), "balance", ch.balance)
stackless.run()
c = mk("c", catcher, "c", ch)
stackless.run()
mk("y", other, "y")
c.throw(ValueError("later"), pending=True)
print("main after throw(pending=True)", flags(c), "balance", ch.balance)
stackless.run()
c = mk("c", catcher, "c", ch)
stackless.run()
c.raise_exception(ValueError, "re", 2)
print("main after raise_exception", flags(c))

print("--- throw to dead and new tasklets")
try:
    c.throw(ValueError)
except RuntimeError as e:
    print("throw dead:", e)
try:
    c.raise_exception(ValueError, "x")
except RuntimeError as e:
    print("raise_exception dead:", e)
c.throw(TaskletExit)
print("throw TaskletExit to dead: accepted")
c.raise_exception(TaskletExit)
print("raise_exception TaskletExit to dead: accepted")
n = stackless.tasklet(body)
try:
    n.throw(ValueError)
except RuntimeError as e:
    print("throw to bound-only tasklet:", e)
n = mk("n", body, "n")
try:
    n.throw(ValueError, "into new")
except ValueError as e:
    print("main got", repr(e), "n", flags(n))

print("--- unbind a paused tasklet: no finally")
t = mk("t", body, "t")
stackless.schedule()
t.remove()
t.bind(None)
print("after bind(None)", flags(t))
print("done")
