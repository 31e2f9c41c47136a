# list: construction, methods, mutation, comparison, aliasing.
a = [3, 1, 4, 1, 5, 9, 2, 6]
print(a, len(a), a[0], a[-1], a.index(1), a.index(1, 2), a.count(1), 9 in a, 7 not in a)
b = a
b.append(5)
print(a is b, a == b, a, a.count(5))
c = a.copy()
c.insert(0, 0); c.insert(-1, 99); c.insert(100, 100); c.insert(-100, -1)
print(c, a)
c.extend([7, 8]); c.extend(range(2)); c.extend("xy"); c += [10]; c += (11,)
print(c)
print(c.pop(), c.pop(0), c.pop(-2), c)
c.remove(99)
print(c)
c.reverse()
print(c)
nums = [5, 3, 8, 1, 9, 2]
nums.sort()
print(nums)
nums.sort(reverse=True)
print(nums)
words = ["banana", "Apple", "cherry", "apple", "Banana"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len, reverse=True), words)
words.sort(key=lambda w: (len(w), w))
print(words)
pairs = [(2, "b"), (1, "z"), (2, "a"), (1, "a")]
print(sorted(pairs), sorted(pairs, key=lambda p: p[1]), sorted(pairs, key=lambda p: -p[0]))
print([1, 2] + [3], [0] * 3, 2 * [None], [[]] * 2, [1, 2] * 0, [1, 2, 3] < [1, 2, 4], [1, 2] < [1, 2, 0], [2] > [1, 9])
print([1, [2, 3]] == [1, [2, 3]], [] == [], [1] != [1.0], max([[1, 2], [1, 3]]), min([3, 1], [2]))
grid = [[0] * 3 for _ in range(3)]
grid[1][1] = 5
shared = [[0] * 3] * 3
shared[1][1] = 5
print(grid, shared)
m = [1, 2, 3, 4, 5]
m[1:3] = ["a", "b", "c"]
print(m)
m[::2] = [0, 0, 0]
print(m)
del m[0]
del m[-2:]
print(m)
m[len(m):] = [6, 7]
m[:0] = [-1]
print(m, m.clear(), m)
stack = []
for i in range(5):
    stack.append(i * i)
while stack:
    print(stack.pop(), end=" ")
print()
nested = [1, [2, [3, [4]]]]
print(nested[1][1][1][0], len(nested), nested[1][1])
lst = list(range(10))
print(lst[::3], lst[7:2:-2], lst[-3:], sum(lst), min(lst), max(lst), list(reversed(lst))[:3])
items = ["x"]
items *= 3
print(items, [i for i in items if i], list(enumerate(items, 1)))
for bad in [lambda: [].pop(), lambda: [1].pop(5), lambda: [1].remove(2), lambda: [1].index(3), lambda: [1, 2][2],
            lambda: [1, "a"].sort(), lambda: [1][None], lambda: [1].insert("0", 1)]:
    try:
        bad()
    except (IndexError, ValueError, TypeError) as e:
        print(type(e).__name__, e)
x = [1, 2, 3]
x[1] = x
print(x, len(x))
