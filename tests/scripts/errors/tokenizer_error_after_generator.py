def f():
    yield 1
s = 'abc
