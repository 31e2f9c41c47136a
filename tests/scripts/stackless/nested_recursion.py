# Deep recursion through calls from C++ ends in RecursionError, and a
# tasklet may wait fifty nested calls deep.
import stackless
ch = stackless.channel()
def down(n):
    if n == 0:
        return ch.receive()
    return sorted([n], key=lambda x: down(n - 1))[0]
def deep(n):
    return deep(n + 1) + 1
def agent():
    print("got", down(50))
    try:
        sorted([1, 2], key=lambda x: deep(0))
    except RecursionError as e:
        print("RecursionError inside key:", e)
    try:
        down(100000)
    except RecursionError as e:
        print("RecursionError in nested calls:", e)
t = stackless.tasklet(agent)()
stackless.run()
print("blocked 50 calls deep:", t.blocked, t.nesting_level > 50, t.restorable)
ch.send(7)
stackless.run()
print("alive", t.alive)
