def f(:
    pass
s = 'abc
