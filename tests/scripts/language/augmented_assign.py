# Augmented assignment on names, attributes and subscripts; targets are evaluated once.
calls = []
def key(k):
    calls.append(k)
    return k
d = {"a": 1}
d[key("a")] += 10
d[key("b") if False else "a"] *= 2
print(d, calls)
lst = [1, 2, 3]
i = 0
lst[i] += 100
lst[-1] **= 2
lst[1:2] += [7, 8]
print(lst)
class Box:
    def __init__(self):
        self.n = 1
        self.items = []
box = Box()
box.n += 4
box.n *= 3
box.items += ["x"]
box.items *= 2
print(box.n, box.items)
s = "ab"
s += "cd"
s *= 2
print(s)
t = (1,)
t += (2,)
print(t)
alias = lst
lst += [0]
print(alias is lst, alias)
tup_alias = t
t += (3,)
print(tup_alias, t)
counts = {}
for w in "a b a c b a".split():
    counts[w] = counts.get(w, 0) + 1
print(counts)
grid = [[0, 0], [0, 0]]
grid[1][0] += 5
grid[0][1] -= 3
print(grid)
f = 1.5
f //= 0.5
f /= 4
f %= 0.5
print(f)
bits = 0b1010
bits |= 0b0101
bits &= 0b0110
bits ^= 0b1111
bits <<= 3
bits >>= 1
print(bits)
st = {1, 2}
st |= {3}
st &= {2, 3, 4}
st -= {2}
st ^= {5}
print(st)
dd = {"x": 1}
dd |= {"y": 2}
print(dd)
def counter_obj():
    class C:
        total = 0
    C.total += 5
    C.total += 5
    return C.total
print(counter_obj())
try:
    undefined_name += 1
except NameError as e:
    print("NameError:", e)
try:
    t[0] += 1
except TypeError as e:
    print("TypeError:", e)
