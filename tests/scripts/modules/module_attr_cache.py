# Attribute reads of a module (`mod.name`, `mod.f()`) go through a per-
# instruction cache: it must see reassigned values, names added and
# removed later, and a different module at the same instruction.
import _helper_mod
import math


def read(m):
    return m.GREETING


def call(m):
    return m.bump()


for round in range(3):
    print(read(_helper_mod), call(_helper_mod))
    _helper_mod.GREETING = "round %d" % round

_helper_mod.extra = 1          # a new key: the dict's layout changes
print(read(_helper_mod), _helper_mod.extra)
del _helper_mod.GREETING
try:
    read(_helper_mod)
except AttributeError as e:
    print("AttributeError:", e)
_helper_mod.GREETING = "back"
print(read(_helper_mod))


def pi_of(m):
    return m.pi


print(pi_of(math), end=" ")
math.pi = 3
print(pi_of(math), end=" ")
try:
    pi_of(_helper_mod)
except AttributeError as e:
    print("AttributeError:", e)


def floor_of(m, x):
    return m.floor(x)


print(floor_of(math, 2.5))
math.floor = lambda x: "patched"
print(floor_of(math, 2.5))
