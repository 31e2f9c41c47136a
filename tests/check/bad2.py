# Valid Python outside Spindle's subset, found by the compiler (not the parser).
def outer():
    def inner():
        nonlocal missing
        missing = 1
    return inner


print(outer())
