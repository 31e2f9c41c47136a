1 = x
s = 'abc
