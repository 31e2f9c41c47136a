# Builtins and their bound methods, channels' switches, exceptions (their
# class is called again with their args, as in CPython), the protocol
# argument, recursive containers and classes nested in classes.
import pickle, stackless
def rt(v): return pickle.loads(pickle.dumps(v))
l = [1]
ap = rt([l, l.append])
ap[1](5); print(ap[0])
print(rt(len)([1, 2]), rt(len) is len)
print(rt(abs) is abs, rt(max)(3, 4))
d = {}
f = rt(d.get)
print(f('x', 'def'))
ch = stackless.channel()
ch.preference = 1
ch.schedule_all = True
c2 = rt(ch)
print(c2.preference, c2.schedule_all, c2.balance, c2.closed)
ch.close()
c3 = rt(ch)
print(c3.closed, c3.closing)
e = ValueError('bad', 3)
e.extra = 'x'
e2 = rt(e)
print(type(e2).__name__, e2.args, e2.extra, str(e2))
class MyErr(Exception):
    def __init__(self, a, b):
        super().__init__(a, b)
        self.a = a
e3 = rt(MyErr(1, 2))
print(type(e3).__name__, e3.args, e3.a)
class MyErr2(Exception):
    def __init__(self, a):
        super().__init__('msg ' + a)
        self.a = a
try:
    e4 = rt(MyErr2('z'))
    print(e4.args, e4.a)
except Exception as ex:
    print(type(ex).__name__, ex)
for p in [0, 1, 2, 3, 4, -1, None]:
    print(p, rt([1, (2, 3), {'a': {4}}]) == pickle.loads(pickle.dumps([1, (2, 3), {'a': {4}}], p)))
try:
    pickle.dumps(1, 5)
except Exception as ex:
    print(type(ex).__name__, ex)
try:
    pickle.dumps(1, 'x')
except Exception as ex:
    print(type(ex).__name__, ex)
print(pickle.loads(pickle.dumps(5, protocol=2)))
a = [1]; a.append(a)
b = rt(a); print(b[1] is b, b)
d = {}; d['self'] = d
d2 = rt(d); print(d2['self'] is d2)
class Outer:
    class Inner:
        def __init__(self): self.v = 3
    def m(self): return 'm'
i = rt(Outer.Inner())
print(type(i).__qualname__, i.v, rt(Outer.Inner) is Outer.Inner)
o = Outer()
bm = rt(o.m); print(bm())
print(rt(Outer.m) is Outer.m)
t = (1, [2])
t[1].append(t)
t2 = rt(t); print(t2[1][1] is t2)
pass
print(rt(None), rt(True), rt(1.5), rt(-7), rt('s'), rt(slice(1, 2)), rt(range(3)))
print(rt(int), rt(ValueError), rt(object))
print(rt(stackless.channel), rt(stackless.tasklet))
import pickle
for bad in [5, None, [1]]:
    try:
        pickle.loads(bad)
    except Exception as e:
        print(type(e).__name__, e)
