# At the end of the program, tasklets still waiting inside calls from C++
# are killed once each, in creation order; one that catches TaskletExit and
# waits again is dropped without running more script code.
import stackless
ch = stackless.channel()
def key(x):
    try:
        return ch.receive()
    finally:
        print("key finally", x)
def agent(name):
    try:
        sorted([1], key=key)
    except TaskletExit:
        print(name, "TaskletExit")
        raise
    finally:
        print(name, "finally")
def defiant():
    for i in range(3):
        try:
            sorted([1], key=key)
        except TaskletExit:
            print("defiant caught TaskletExit", i)
stackless.tasklet(agent)("a")
stackless.tasklet(defiant)()
stackless.run()
print("end of script", ch.balance)
