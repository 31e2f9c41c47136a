# range: lengths, indexing, membership, iteration, reversal, equality.
for args in [(5,), (2, 8), (2, 8, 2), (8, 2, -2), (0,), (5, 5), (5, 0), (-5, 5, 3), (10, -10, -7), (1, 2, 10)]:
    r = range(*args)
    print(args, r, len(r), list(r), 3 in r, -5 in r, bool(r), r == range(*args))
print(range(10)[3], range(10)[-1], range(0, 100, 10)[4], range(5, 0, -1)[0], list(reversed(range(4))))
print(range(0) == range(5, 5), range(0, 10, 2) == range(0, 9, 2), range(1) == range(1, 2, 99), range(3) != range(4))
print(sum(range(101)), max(range(7)), min(range(3, 9)), sorted(range(5, 0, -1)), list(enumerate(range(3, 6))))
print(range(0, 10, 3).index(6) if False else list(range(0, 10, 3)).index(6), range(10).count(3) if False else list(range(10)).count(3))
total = 0
for i in range(1, 11, 2):
    total += i
print(total)
count = 0
for i in range(3):
    for j in range(i, 3):
        count += 1
print(count)
it = iter(range(3))
print(next(it), next(it), next(it), next(it, "done"))
r = range(2, 12, 3)
print(r.start, r.stop, r.step, r[1:3], r[::-1])
for bad in [lambda: range(1, 2, 0), lambda: range(1.5), lambda: range(5)[10], lambda: range("3"), lambda: range()]:
    try:
        bad()
    except (ValueError, TypeError, IndexError) as e:
        print(type(e).__name__, e)
