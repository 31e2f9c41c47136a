# getdebug()/debug and getuncollectables()/uncollectables: a release build
# reports False, and soft-switched tasklets never keep a C stack.
import stackless

print(stackless.getdebug(), stackless.debug)


def worker(ch):
    ch.receive()


ch = stackless.channel()
t = stackless.tasklet(worker)(ch)
stackless.run()
print(t.blocked, stackless.getuncollectables(), stackless.uncollectables)
ch.send(None)
print(t.alive, stackless.getuncollectables())
try:
    stackless.getdebug(1)
except TypeError as e:
    print("TypeError")
