# tasklet.frame as Stackless has it: None for a tasklet that has not run
# or has ended; for one that waits, its top frame, with f_code (co_name,
# co_firstlineno, co_argcount, co_varnames), f_lineno, f_locals, f_globals
# and f_back down to the bottom frame. A frame is not picklable alone. The
# uncooperative-tasklet idiom reports where the interrupted tasklet was.
import pickle
import stackless


def walk(frame):
    where = []
    while frame is not None:
        where.append((frame.f_code.co_name, frame.f_lineno))
        frame = frame.f_back
    return where


def inner(x, *rest):
    y = x * 2
    stackless.schedule_remove()
    return y


def outer(n):
    total = inner(n, 1) + 1
    return total


t = stackless.tasklet(outer)
print("unbound", t.frame)
t.bind(outer, (5,))
print("bound", t.frame)
t.insert()
stackless.run()
top = t.frame
print(type(top).__name__, type(top.f_code).__name__, repr(top).startswith("<frame at "))
print(walk(top))
print(top.f_code.co_name, top.f_code.co_firstlineno, top.f_code.co_argcount, top.f_code.co_varnames)
print(sorted(top.f_locals.items()), sorted(top.f_back.f_locals.items()))
print(top.f_globals is top.f_back.f_globals, "outer" in top.f_globals, top.f_back.f_back)
try:
    pickle.dumps(top)
except TypeError as e:
    print("TypeError", e)
print(outer.__code__.co_name, outer.__code__ is top.f_back.f_code)
try:
    type(top)()
except TypeError as e:
    print("TypeError", e)
t.insert()
stackless.run()
print("ended", t.alive, t.frame)


def make_counter():
    count = [0]

    def bump(by):
        count[0] += by
        stackless.schedule_remove()
        return count[0]
    return bump


bumper = stackless.tasklet(make_counter())(3)
stackless.run()
print(sorted(bumper.frame.f_locals.items()), bumper.frame.f_code.co_varnames)


def spinner():
    n = 0
    while True:
        n += 1


s = stackless.tasklet(spinner)()
victim = stackless.run(1000)
where = victim.frame
# (Which line the budget ends on depends on how instructions are counted.)
print("uncooperative", victim is s, where.f_code.co_name, where.f_back,
      where.f_code.co_firstlineno < where.f_lineno <= where.f_code.co_firstlineno + 3, where.f_locals["n"] > 0)
victim.kill()
