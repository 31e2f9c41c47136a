# Global and builtin lookups at one call site stay right while the module's
# names come and go: shadowing a builtin, deleting the shadow, rebinding.
def show():
    return len("abc"), counter


counter = 1
for i in range(6):
    if i == 2:
        def len(x):
            return "shadowed"
    if i == 4:
        del len
    if i == 3:
        counter = "rebound"
    print(i, show())

try:
    del counter
    show()
except NameError as e:
    print("NameError:", e)

names = {}
for i in range(3):
    names["k" + str(i)] = i
    globals_seen = [counter2 for counter2 in range(i)]
    print(sum(globals_seen), len(names))
