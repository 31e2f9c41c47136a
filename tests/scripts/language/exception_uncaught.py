# An exception nobody catches ends the program with status 1 after the output so far.
def level3(x):
    return {"a": 1}[x]
def level2(x):
    return level3(x) + 1
def level1(x):
    try:
        return level2(x)
    finally:
        print("cleanup in level1")
print("start")
print(level1("a"))
print(level1("missing"))
print("never printed")
