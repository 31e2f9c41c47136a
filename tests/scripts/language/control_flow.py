# if/elif/else, while/else, for/else, break, continue, pass, conditional expressions.
def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        return "small"
    else:
        return "large"
print([classify(n) for n in [-5, 0, 3, 42]])
i = 0
while i < 10:
    i += 1
    if i % 2:
        continue
    if i == 8:
        break
    print("even", i)
else:
    print("not reached")
print("after while", i)
n = 0
while n < 3:
    n += 1
else:
    print("while finished normally", n)
for x in range(5):
    if x == 7:
        break
else:
    print("for finished without break")
for x in [1, 2, 3]:
    if x == 2:
        print("found 2")
        break
else:
    print("not printed")
for x in []:
    print("never")
else:
    print("empty loop else")
def find(needle, haystack):
    for index, item in enumerate(haystack):
        if item == needle:
            break
    else:
        return -1
    return index
print(find(3, [1, 2, 3, 4]), find(9, [1, 2]))
for a in range(3):
    for b in range(3):
        if b > a:
            break
        if a == b:
            continue
        print("pair", a, b)
primes = []
for candidate in range(2, 30):
    for p in primes:
        if candidate % p == 0:
            break
    else:
        primes.append(candidate)
print(primes)
def nothing():
    pass
class Empty:
    pass
print(nothing(), Empty.__name__)
if True:
    pass
elif False:
    print("no")
value = 5
print("big" if value > 3 else "small", "a" if 0 else "b" if "" else "c", (1 if value else 2) + 1)
count = 0
while True:
    count += 1
    if count >= 4:
        break
print(count)
total = 0
for i in range(100):
    if i % 3 == 0 or i % 5 == 0:
        total += i
print(total)
x = 10
while x:
    x -= 3 if x > 3 else x
print(x)
matrix = [[1, 2], [3, 4]]
flat = []
for row in matrix:
    for cell in row:
        flat.append(cell)
print(flat)
