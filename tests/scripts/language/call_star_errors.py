# Errors of * and ** in calls and displays name the callable as CPython does.
def g(*a, **k):
    return a, k
def f(**k):
    return k
class C:
    def __init__(self, **k):
        pass
    def m(self, **k):
        pass
cases = [
    lambda: g(1, *5), lambda: g(*5), lambda: [*5], lambda: (*5,), lambda: {*5},
    lambda: g(*5, *[1]), lambda: g(*[1], *None), lambda: {**5}, lambda: g(**5),
    lambda: g(x=1, **5), lambda: g(**{}, **5), lambda: {"a": 1, **[1]},
    lambda: g(*[1], **{1: 2}), lambda: C(**5), lambda: print(**5), lambda: len(*5),
    lambda: f(a=1, **{"a": 2}), lambda: f(**{"a": 1}, **{"a": 2}), lambda: C().m(**{"x": 1}, **{"x": 2}),
    lambda: print(*None), lambda: dict(**{"a": 1}, a=2), lambda: C(**{"k": 1}, k=2),
]
for case in cases:
    try:
        case()
    except TypeError as e:
        print(e)
class Seq:
    def __getitem__(self, i):
        if i < 3:
            return i
        raise IndexError(i)
print(g(*Seq()), [*Seq(), *"ab"], g(*range(2), **{"z": 1}), {**{"a": 1}, "b": 2})
