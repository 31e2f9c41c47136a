# A tasklet blocks on a channel inside dunders the VM calls itself
# (subscripts, len, str/repr/format, print, f-strings): they run as script
# frames, so the receive soft-switches like any other.
import stackless

ch = stackless.channel()

class A:
    def __str__(self): return "A:" + str(ch.receive())
    def __repr__(self): return "rA:" + str(ch.receive())
    def __getitem__(self, i): return (i, ch.receive())
    def __setitem__(self, i, v): print("set", i, v, ch.receive())
    def __delitem__(self, i): print("del", i, ch.receive())
    def __len__(self): return ch.receive()
    def __format__(self, spec): return "F" + spec + str(ch.receive())

class B:
    def __repr__(self): return "rB:" + str(ch.receive())

class Fails:
    def __getitem__(self, i):
        ch.receive()
        raise IndexError(i)
    def __str__(self):
        ch.receive()
        return 42

def feeder():
    i = 0
    while True:
        ch.send(i)
        i += 1

stackless.tasklet(feeder)()
a = A()
b = B()
print(a)
print(f"{a}", repr(a), str(a), a[0], len(a))
print(f"{a!r:>8}|{a!s}|{b}|{b!a}|{a:xy}", format(a, "q"), format(b), str(b), b)
a[1] = 2
del a[3]
print(a, b, sep="--", end="!\n")
print(a[a[0][1]], [a[i] for i in range(2)], len(a) + len(a))
f = Fails()
try:
    f[7]
except IndexError as e:
    print("IndexError", e)
try:
    print("x", f)
except TypeError as e:
    print("TypeError", e)

# Another tasklet blocked inside a dunder, then killed there.
log = []
gate = stackless.channel()
class Waits:
    def __getitem__(self, i):
        try:
            return gate.receive()
        finally:
            log.append("finally in __getitem__")
    def __str__(self):
        return "Waits(" + str(gate.receive()) + ")"

def reader(name):
    w = Waits()
    print(name, "got", w[0])
    print(name, "prints", w)
    w[1]
    print("not reached")

t1 = stackless.tasklet(reader)("t1")
t2 = stackless.tasklet(reader)("t2")
stackless.run()
gate.send("one")
gate.send("two")
gate.send("three")
gate.send("four")
print(t1.blocked, t2.blocked, gate.balance)
t1.kill()
t2.kill()
print(log, t1.alive, t2.alive)
