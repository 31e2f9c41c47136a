# range.index and range.count, and ranges as dict keys (equal ranges hash alike).
r = range(0, 20, 3)
print(r.index(9), r.count(9), r.count(10), range(10, 0, -2).index(4), range(5).index(True), range(5).index(3.0), range(5).count(2.0))
print(range(-9223372036854775807 - 1, 9223372036854775807, 3).index(9223372036854775804) == 6148914691236517204)
for rng, v in [(range(5), 7), (range(0, 10, 2), 3), (range(2, 5), True), (range(5), "a"), (range(0), 0)]:
    try:
        rng.index(v)
    except ValueError as e:
        print(e)
print({range(3): "a"}[range(0, 3)], range(0, 3, 2) in {range(0, 4, 2)}, len({range(0), range(4, 4), range(1, 1, -1)}))
print(hash(range(1, 2)) == hash(range(1, 9, 10)), hash(range(5)) == hash(range(0, 5, 1)))
try:
    r.index()
except TypeError as e:
    print(e)
