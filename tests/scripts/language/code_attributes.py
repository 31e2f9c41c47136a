# A function's __code__ and the co_* attributes scripts read: its names,
# first line, parameter counts and variables (a local only a closure's cell
# holds is not among co_varnames; a parameter held in a cell is).
def plain(a, b=1, *args, c, **kw):
    total = a + b
    return total


def outer(x):
    kept = x + 1

    def inner(y):
        return kept + x + y
    return inner


class Box:
    def open(self, how):
        return how


for fn in (plain, outer, outer(1), Box.open, lambda q: q):
    c = fn.__code__
    print(c.co_name, c.co_qualname, c.co_firstlineno, c.co_argcount, c.co_kwonlyargcount, c.co_varnames, c.co_nlocals)
print(type(plain.__code__).__name__, plain.__code__ is plain.__code__)
