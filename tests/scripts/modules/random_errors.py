import random


def attempt(label, f, *args, **kwargs):
    try:
        f(*args, **kwargs)
    except Exception as e:
        print(label, "->", type(e).__name__ + ":", e)
    else:
        print(label, "ok")


attempt("random(1)", random.random, 1)
attempt("random(x=1)", random.random, x=1)
attempt("randint(1)", random.randint, 1)
attempt("randint()", random.randint)
attempt("randint(1, 2, 3)", random.randint, 1, 2, 3)
attempt("randint(5, 4)", random.randint, 5, 4)
attempt("randint(1.5, 4)", random.randint, 1.5, 4)
attempt("randint('a', 4)", random.randint, "a", 4)
attempt("randint(1, b=2, a=1)", random.randint, 1, b=2, a=1)
attempt("randrange()", random.randrange)
attempt("randrange(0)", random.randrange, 0)
attempt("randrange(-3)", random.randrange, -3)
attempt("randrange(5, 5)", random.randrange, 5, 5)
attempt("randrange(5, 2)", random.randrange, 5, 2)
attempt("randrange(1, 10, 0)", random.randrange, 1, 10, 0)
attempt("randrange(10, 1, 2)", random.randrange, 10, 1, 2)
attempt("randrange(1, 10, -1)", random.randrange, 1, 10, -1)
attempt("randrange(1, 2.5)", random.randrange, 1, 2.5)
attempt("randrange(5, step=2)", random.randrange, 5, step=2)
attempt("randrange('a')", random.randrange, "a")
attempt("randrange(1, 'b')", random.randrange, 1, "b")
attempt("randrange(1, None)", random.randrange, 1, None)
attempt("randrange(1, 2, 3, 4)", random.randrange, 1, 2, 3, 4)
attempt("randrange(foo=3)", random.randrange, start=1, stop=2, foo=3)
attempt("choice([])", random.choice, [])
attempt("choice('')", random.choice, "")
attempt("choice(5)", random.choice, 5)
attempt("choice({})", random.choice, {})
attempt("choice()", random.choice)
attempt("choice({1: 2})", random.choice, {1: 2})
attempt("shuffle((1, 2))", random.shuffle, (1, 2))
attempt("shuffle(5)", random.shuffle, 5)
attempt("shuffle()", random.shuffle)
attempt("shuffle('ab')", random.shuffle, "ab")
attempt("uniform(1)", random.uniform, 1)
attempt("uniform('a', 'b')", random.uniform, "a", "b")
attempt("uniform(1, None)", random.uniform, 1, None)
attempt("seed([1])", random.seed, [1])
attempt("seed(1, 2, 3)", random.seed, 1, 2, 3)
attempt("getstate(1)", random.getstate, 1)
attempt("setstate()", random.setstate)
try:
    random.gauss_nonexistent
except AttributeError as e:
    print(e)
