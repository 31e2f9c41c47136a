# Slicing with steps on lists, tuples, strings and ranges; slice assignment and deletion.
data = list(range(10))
specs = [(None, None, None), (2, None, None), (None, 3, None), (2, 8, 2), (-3, None, None), (None, -3, None),
         (None, None, -1), (8, 2, -2), (-1, -11, -3), (100, None, None), (None, 100, None), (5, 5, None),
         (7, 3, None), (-100, 100, 4), (3, None, -1), (None, 3, -1), (0, 10, 3), (9, -11, -4), (1, -1, 5)]
for start, stop, step in specs:
    sl = slice(start, stop, step)
    print(start, stop, step, data[sl], tuple(data)[sl], "abcdefghij"[sl], list(range(10)[sl]), range(10)[sl])
print(data[::-1], data[-2:], data[:-8], data[1:2], data[2:1])
s = slice(1, 5, 2)
print(s, s.start, s.stop, s.step, slice(3), slice(None, None, -1))
lst = list(range(8))
lst[2:5] = ["a", "b"]
print(lst)
lst[1:1] = [9, 9, 9]
print(lst)
lst[::3] = ["x"] * len(lst[::3])
print(lst)
lst[:] = []
print(lst)
nums = list(range(12))
del nums[::4]
print(nums)
del nums[1:3]
print(nums)
del nums[-2:]
print(nums)
del nums[::-3]
print(nums)
word = "spindle"
print(word[1:-1], word[::2], word[::-2], word[-3:], word[:0], word[len(word):], word[-len(word):])
r = range(0, 20, 3)
print(r[1:4], r[::-1], r[-2:], r[2], r[-1], list(r[::2]), len(r[3:]), r[10:20])
m = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print([row[1] for row in m], m[1][::-1], [row[::-1] for row in m[::-1]])
for bad in [lambda: data[::0], lambda: data["a":], lambda: data[1.5:], lambda: "abc"[::0]]:
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
try:
    lst2 = [1, 2, 3, 4]
    lst2[::2] = [1, 2, 3]
except ValueError as e:
    print("ValueError", e)
try:
    (1, 2)[0:1] = [5]
except TypeError as e:
    print("TypeError", e)
