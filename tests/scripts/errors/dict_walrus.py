def f():
    return {(k := 1): 2}
