break
def f(a, a):
    pass
