# dict.fromkeys is a class method: through the class or an instance alike.
print(dict.fromkeys([1, 2, 3]))
print(dict.fromkeys("abca", 0))
print(dict.fromkeys(range(3), "x"))
print(dict.fromkeys({"k": 1, "j": 2}))
print(dict.fromkeys(()))
shared = dict.fromkeys(["a", "b"], [])
shared["a"].append(1)
print(shared)
print({"ignored": 1}.fromkeys([5], None))
f = dict.fromkeys
print(f((1, 2), True))
for args in [(), (1, 2, 3)]:
    try:
        dict.fromkeys(*args)
    except TypeError as e:
        print(e)
try:
    dict.fromkeys(5)
except TypeError as e:
    print(e)
try:
    dict.fromkeys([[1]])
except TypeError as e:
    print(e)
