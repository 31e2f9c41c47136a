# Closures, nonlocal, global, late binding, scopes of comprehensions and classes.
def counter(start=0):
    count = start
    def step(by=1):
        nonlocal count
        count += by
        return count
    return step
c1 = counter()
c2 = counter(100)
print(c1(), c1(), c1(5), c2(), c1())
def make_adders():
    adders = []
    for i in range(3):
        adders.append(lambda x: x + i)
    return adders
print([add(10) for add in make_adders()])
def make_adders_bound():
    return [lambda x, i=i: x + i for i in range(3)]
print([add(10) for add in make_adders_bound()])
total = 0
def add_to_total(n):
    global total
    total += n
    return total
add_to_total(5)
add_to_total(7)
print(total)
def reads_global():
    return total * 2
print(reads_global())
def shadow():
    total = "local"
    return total
print(shadow(), total)
def outer():
    x = "outer"
    def middle():
        def inner():
            nonlocal x
            x = "changed by inner"
        inner()
        return x
    result = middle()
    return result, x
print(outer())
def accumulator():
    items = []
    def add(item):
        items.append(item)
        return len(items)
    def get():
        return list(items)
    return add, get
add, get = accumulator()
add("a"); add("b")
print(get(), add("c"), get())
def fib_memo():
    memo = {0: 0, 1: 1}
    def fib(n):
        if n not in memo:
            memo[n] = fib(n - 1) + fib(n - 2)
        return memo[n]
    return fib
print(fib_memo()(80))
x = "global x"
def comprehension_scope():
    x = "function x"
    return [x for _ in range(2)], [y for y in range(3)]
print(comprehension_scope(), x)
class Scoped:
    value = 10
    doubled = value * 2
    def method(self):
        return self.value, Scoped.doubled
print(Scoped().method(), Scoped.doubled)
def unbound_local():
    try:
        print(undefined_later)
        undefined_later = 1
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
unbound_local()
try:
    print(no_such_name)
except NameError as e:
    print("NameError:", e)
def make_multiplier(factor):
    def multiply(value):
        return value * factor
    return multiply
double, triple = make_multiplier(2), make_multiplier(3)
print(double(21), triple("ab"), [f(1) for f in [double, triple]])
def cell_update():
    n = 0
    def bump():
        nonlocal n
        n += 1
    for _ in range(4):
        bump()
    return n
print(cell_update())
def deep(level):
    if level == 0:
        return lambda: "bottom"
    inner = deep(level - 1)
    return lambda: "level%d>%s" % (level, inner())
print(deep(3)())
