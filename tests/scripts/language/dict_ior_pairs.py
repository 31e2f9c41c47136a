# d |= x is d.update(x): any iterable of pairs, where d | x needs a dict.
d = {"a": 1}
d |= [("b", 2), ("a", 0)]
print(d)
d |= {"c": 3}
print(d)
d |= (("z", 26),)
print(d)
e = d
e |= []
print(e is d)
for bad in [5, [1], [(1, 2, 3)]]:
    try:
        d |= bad
    except (TypeError, ValueError) as err:
        print(type(err).__name__, err)
try:
    d | [("x", 1)]
except TypeError as err:
    print(err)
print(d)
