# A syntax error, reported as CPython reports it.
def f(x):
    return (x +
print(f(1))
