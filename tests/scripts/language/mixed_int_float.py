# Arithmetic and comparisons between ints and floats, including the edges
# where a double cannot hold the int exactly.
big = 2 ** 53 + 1
print(big == float(big), big > float(big), big < 9007199254740994.0, big >= 9007199254740992.0)
print(-big == -float(big), -big < -float(big), 2 ** 53 == 9007199254740992.0)
print(9223372036854775807 == 9.223372036854776e18, 9223372036854775807 < 9.223372036854776e18)
print(1 < 1.5, 2 <= 2.0, 3 > 2.5, 3 >= 3.0, 4 == 4.0, 4 != 4.0, 0.5 < 1, 0.5 > 0)
nan = float("nan")
print(nan == 1, nan != 1, nan < 1, 1 < nan, nan == nan, 1 >= nan)
inf = float("inf")
print(inf > 9223372036854775807, -inf < -9223372036854775807, inf == inf)
print(1 + 0.5, 0.5 + 1, 3 - 0.25, 0.25 - 3, 2 * 1.5, 1.5 * 2, 7 / 2.0, 7.0 / 2, 1 / 3.0)
print(big + 0.0, big * 1.0, big - 1.0, 0.1 * 3, 3 * 0.1, (7 % 5) * 0.1, 0.5 - (3 % 5) * 0.1)
print(-0.0 + 0, 0 * -1.0, -1 * 0.0)
try:
    print(1.0 / 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    print(1 / 0.0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
x = 10
x += 0.5
x *= 2
x -= 1
x /= 4
print(x, type(x).__name__)
print(sorted([3, 1.5, 2, 0.5, -1, -1.5]), max(1, 2.5), min(3.0, 2))
