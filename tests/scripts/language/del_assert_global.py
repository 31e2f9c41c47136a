# del on names, items, slices and attributes; assert; global and nonlocal declarations.
x = 10
del x
try:
    print(x)
except NameError as e:
    print("NameError:", e)
items = [0, 1, 2, 3, 4, 5]
del items[0]
del items[-1]
del items[1:3]
print(items)
d = {"a": 1, "b": 2, "c": 3}
del d["b"]
print(d)
a, b = 1, 2
del a, b
class Thing:
    pass
t = Thing()
t.attr = 1
t.other = 2
del t.attr
print(hasattr(t, "attr"), t.other)
try:
    del t.attr
except AttributeError as e:
    print("AttributeError:", e)
try:
    del d["zzz"]
except KeyError as e:
    print("KeyError:", e)
try:
    del items[10]
except IndexError as e:
    print("IndexError:", e)
def local_del():
    v = 1
    del v
    try:
        return v
    except UnboundLocalError as e:
        return "UnboundLocalError: " + str(e)
print(local_del())
assert True
assert 1 < 2, "never shown"
for value in [0, "", None]:
    try:
        assert value, "falsy: %r" % (value,)
    except AssertionError as e:
        print("AssertionError:", e)
counter = 0
def bump():
    global counter
    counter += 1
def bump_twice():
    bump()
    bump()
bump_twice()
print(counter)
def define_global():
    global created_later
    created_later = "made inside a function"
define_global()
print(created_later)
def outer():
    value = []
    def inner():
        nonlocal value
        value = value + ["inner"]
    inner()
    inner()
    return value
print(outer())
name = "module"
def shadowing():
    name = "local"
    def show():
        return name
    return show()
print(shadowing(), name)
