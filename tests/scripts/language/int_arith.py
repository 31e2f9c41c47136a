# Integer arithmetic with Python's rules: floor division and modulo follow the divisor's sign.
pairs = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (6, 3), (-6, 3), (1, 7), (-1, 7)]
for a, b in pairs:
    print(a, b, a + b, a - b, a * b, a / b, a // b, a % b, divmod(a, b))

print(2 ** 10, 2 ** 0, (-2) ** 3, (-2) ** 4, 2 ** -1, 10 ** -2, 0 ** 0, (-8) ** 2)
print(pow(2, 10), pow(2, 10, 1000), pow(3, 200, 7), pow(-3, 3, 5), pow(7, 0, 3), pow(5, 3, -7))
print(abs(-5), abs(5), abs(0), -(-5), +5)

# bitwise operations
print(6 & 3, 6 | 3, 6 ^ 3, ~6, ~-1, 1 << 10, 1024 >> 3, -1024 >> 3, -1 >> 100, 5 << 0)
print(0b1010, 0o17, 0xff, 1_000_000, 0x_ff)
print(bin(10) if False else "skip-bin")

# mixed int/float
print(1 + 2.0, 3 * 0.5, 7 / 7, 7 // 2.0, -7 // 2.0, 7 % 2.5, -7 % 2.5, 2 ** 0.5, 4 ** 0.5)
print(1 == 1.0, 1 < 1.5, 2 > 1.9999, 0 == -0.0, 10 // 3 * 3 + 10 % 3)

# comparisons
print(1 < 2 < 3, 3 > 2 > 2, 1 == 1 != 2, 5 >= 5 >= 4, 1 < 3 > 2)
print(max(3, 9, 2), min(3, 9, 2), max([1, -1]), min((4, 2, 8)), sum([1, 2, 3]), sum([], 10), sum([0.5, 0.25]))

# errors
for a, b in [(1, 0), (0, 0), (-5, 0)]:
    for name in ["/", "//", "%", "divmod"]:
        try:
            if name == "/":
                a / b
            elif name == "//":
                a // b
            elif name == "%":
                a % b
            else:
                divmod(a, b)
        except ZeroDivisionError as e:
            print(name, "ZeroDivisionError:", e)
try:
    1.0 / 0
except ZeroDivisionError as e:
    print("float:", e)
try:
    1 // 0.0
except ZeroDivisionError as e:
    print("float floor:", e)
try:
    2.5 % 0
except ZeroDivisionError as e:
    print("float mod:", e)
try:
    0 ** -1
except ZeroDivisionError as e:
    print("pow:", e)
try:
    1 << -1
except ValueError as e:
    print("shift:", e)
try:
    "a" + 1
except TypeError as e:
    print("TypeError:", e)
try:
    1 + "a"
except TypeError as e:
    print("TypeError:", e)
try:
    [1] * "2"
except TypeError as e:
    print("TypeError:", e)
try:
    -"x"
except TypeError as e:
    print("TypeError:", e)

# augmented assignment
x = 10
x += 5; x -= 3; x *= 2; x //= 5; x **= 3; x %= 7; x <<= 2; x >>= 1; x |= 1; x &= 13; x ^= 6
print(x)
y = 7
y /= 2
print(y)
