# def: positional, default, keyword, keyword-only, *args, **kwargs, return values, recursion, lambda.
def f(a, b=2, *args, c, d=4, **kwargs):
    return (a, b, args, c, d, sorted(kwargs.items()))
print(f(1, c=3))
print(f(1, 5, 6, 7, c=8, e=9, d=0))
print(f(c=1, a=2))
print(f(*[1, 2, 3], **{"c": 4, "z": 5}))
def greet(name, greeting="Hello", punct="!"):
    return greeting + ", " + name + punct
print(greet("Ann"), greet("Bob", "Hi"), greet("Cy", punct="?"), greet(punct=".", name="Di"))
def defaults_evaluated_once(item, bucket=[]):
    bucket.append(item)
    return bucket
print(defaults_evaluated_once(1), defaults_evaluated_once(2), defaults_evaluated_once(3, []))
def no_return():
    x = 1
print(no_return())
def multiple():
    return 1, "two", [3]
a, b, c = multiple()
print(a, b, c, multiple())
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
print(fact(20), [fib(i) for i in range(15)])
def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))
print(ackermann(2, 3))
square = lambda x: x * x
add = lambda x, y=10: x + y
print(square(7), add(1), add(1, 2), (lambda: "no args")(), (lambda *a, **k: (a, k))(1, k=2))
print(sorted([3, -1, 2], key=lambda v: abs(v)), list(map(lambda v: v + 1, [1, 2])), list(filter(lambda v: v % 2, range(6))))
def apply(func, *args, **kwargs):
    return func(*args, **kwargs)
print(apply(max, 3, 9, 2), apply(greet, "Eve", greeting="Hey"), apply(sorted, [3, 1], reverse=True))
def kwonly(*, x, y=1):
    return x * y
print(kwonly(x=3), kwonly(y=2, x=5))
def varargs_only(*items):
    return len(items), items
print(varargs_only(), varargs_only(1), varargs_only(*range(3)))
def kwargs_only(**options):
    return options
print(kwargs_only(), kwargs_only(a=1, b=2))
print(f.__name__, greet.__name__, square.__name__, fact.__qualname__)
def outer():
    def inner():
        return "inner"
    return inner
print(outer()(), outer().__qualname__)
errors = []
for call in [lambda: f(), lambda: f(1), lambda: greet(), lambda: greet("a", "b", "c", "d"), lambda: greet("a", nam="x"),
             lambda: greet("a", name="b"), lambda: kwonly(1), lambda: kwonly(), lambda: square(1, 2), lambda: no_return(5),
             lambda: apply(), lambda: fact("3")]:
    try:
        call()
    except TypeError as e:
        errors.append(str(e))
for e in errors:
    print("TypeError:", e)
