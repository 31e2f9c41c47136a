# Iterators over lists, tuples, strs and ranges pickle with their position,
# as in CPython; the list they walk is pickled with them.
import pickle


def roundtrip(v):
    return pickle.loads(pickle.dumps(v))


it = iter([1, 2, 3, 4])
next(it)
it2 = roundtrip(it)
print(list(it2), list(it))

t = iter((5, 6, 7))
print(next(t), list(roundtrip(t)))

s = iter("h\u00e9llo \u4e2d\u6587")
next(s)
next(s)
print(list(roundtrip(s)))

r = iter(range(10, 0, -3))
next(r)
print(list(roundtrip(r)), list(r))
print(list(roundtrip(iter(range(0)))), list(roundtrip(iter(range(-5, 5, 2)))))

done = iter([1])
list(done)
print(list(roundtrip(done)))

# The iterator and its list stay connected.
items = [1, 2]
pair = roundtrip((items, iter(items)))
pair[0].append(3)
print(list(pair[1]))
