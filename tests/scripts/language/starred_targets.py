# Starred assignment targets (extended unpacking): the starred name takes a
# list of what the others leave, in every place a target may stand.
a, *b, c = range(5)
print(a, b, c)
*a, b = "xyz"
print(a, b)
a, *b = [1]
print(a, b)
[a, *b, c, d] = (1, 2, 3, 4, 5, 6)
print(a, b, c, d)
for first, *rest in [(1, 2, 3), [4], "ab"]:
    print(first, rest)
(p, *q), r = [1, 2, 3], 4
print(p, q, r)
a, *(b, c) = 1, 2, 3
print(a, b, c)
[a, *b] = x = 1, 2, 3
print(a, b, x)
print([head for head, *tail in [(1, 2), (3,)]])
print({k: len(v) for k, *v in ["abc", "d"]})


def split(seq):
    head, *tail = seq
    return head, tail


print(split({5: 1}), split(iter([7, 8, 9])), split(range(3)))


class Countdown:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n, 0, -1))


x, *y = Countdown(4)
print(x, y)
*y, x = Countdown(1)
print(x, y)


class Box:
    def __enter__(self):
        return [1, 2, 3]

    def __exit__(self, *exc):
        return False


with Box() as (one, *others):
    print(one, others)
big = list(range(300))
*lead, last = big
print(len(lead), last)
for bad in ([1], 5, []):
    try:
        a, *b, c = bad
        print("unpacked", a, b, c)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
