# A channel receive inside a sorted(key=) function while another tasklet
# sends: the sorter waits inside the call from C++ (nesting_level 2 while
# blocked, 1 while its key runs, 0 after; not restorable meanwhile).
import stackless
ch = stackless.channel()
def key(x):
    t = stackless.getcurrent()
    print("in key", x, t.nesting_level, t.restorable)
    v = ch.receive()
    print("key got", v, t.nesting_level, t.restorable)
    return v
def sorter():
    print("sorted:", sorted([1, 2, 3], key=key))
    print("after", stackless.getcurrent().nesting_level, stackless.getcurrent().restorable)
def sender():
    for v in (3, 1, 2):
        print("blocked:", s.blocked, s.nesting_level, s.restorable)
        ch.send(v)
s = stackless.tasklet(sorter)()
stackless.tasklet(sender)()
print("main", stackless.getcurrent().nesting_level)
stackless.run()
print("done", s.alive, s.nesting_level, s.restorable)
