# Imports a script module that lives beside this file.
import _helper_mod
import _helper_mod as again
from _helper_mod import GREETING, bump as bump_it, Vector
import math, random

print(_helper_mod.GREETING, GREETING, again is _helper_mod)
print(bump_it(), bump_it(5), _helper_mod.counter, _helper_mod.bump())
print(Vector(1, 2), type(Vector(0, 0)).__name__, _helper_mod._private())
print(_helper_mod.__name__, math.__name__, random.__name__)


def late():
    import _helper_mod
    from _helper_mod import counter
    return counter, _helper_mod.counter


print(late())
_helper_mod.GREETING = "changed"
from _helper_mod import GREETING
print(GREETING)
try:
    from _helper_mod import missing_name
except ImportError as e:
    text = str(e)
    print(type(e).__name__, text[:len("cannot import name 'missing_name' from '_helper_mod' (")])
    print(text[-len("_helper_mod.py)"):])
try:
    from math import nope
except ImportError as e:
    print(e)
try:
    _helper_mod.missing_attr
except AttributeError as e:
    print(e)
