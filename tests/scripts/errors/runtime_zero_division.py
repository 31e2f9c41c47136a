# An uncaught exception: output so far, then a traceback on stderr, status 1.
def ratio(a, b):
    return a / b


def report(values):
    for v in values:
        print("ratio", ratio(10, v))


print("start")
report([5, 2, 0, 1])
print("never printed")
