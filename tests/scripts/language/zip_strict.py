# zip(strict=True) checks that every argument ends at the same point.
print(list(zip([1, 2], "ab", strict=True)))
print(list(zip(strict=True)), list(zip([], [], strict=True)))
print(list(zip([1, 2], [3], strict=False)))
cases = [([1, 2], [3]), ([1], [3, 4]), ([1], [3], [5, 6]), ([1, 2], [3, 4], [5]), ([1, 2, 3], [4, 5], [6, 7])]
for args in cases:
    got = []
    try:
        for t in zip(*args, strict=True):
            got.append(t)
    except ValueError as e:
        print(got, e)
try:
    zip([1], bogus=True)
except TypeError as e:
    print(e)
