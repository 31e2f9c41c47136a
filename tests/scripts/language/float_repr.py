# Floats print in their shortest round-trip form, as repr() and str() do in CPython.
values = [0.1, 0.2, 0.1 + 0.2, 1.0, -1.0, 0.0, -0.0, 1.5, 100.0, 1e15, 1e16, 1e17, 123456789.0, 1234567890123456789.0,
          1e-4, 1e-5, 0.0001234, 0.00001234, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
          3.141592653589793, 2.718281828459045, 1 / 3, 2 / 3, 10 / 3, 0.1 * 3, 1.1 * 1.1, 9.999999999999999e22,
          1e22, 1e23, 4.35, 0.3 - 0.1, 100.0 / 3.0, 2.0 ** 0.5, 2.0 ** 53, 2.0 ** 53 + 1, 2.0 ** 64, 1e300 * 10,
          -1e-10, 123.456, 1.0e-7, 12345678901234567.0, 0.5e-6]
for v in values:
    print(v, repr(v), str(v))

inf = float("inf")
nan = float("nan")
print(inf, -inf, nan, repr(inf), inf * 0, -inf + inf, inf > 1e308, nan == nan, nan != nan, inf == inf)
print(float("1e309"), float("-1e309"), float("infinity"), float("-Infinity"), float("nan"), float("-nan"))
print([0.1, 0.25, -2.5], (1e100,), {"x": 0.3}, {2.5: 1.0})
print(1e16 == 10 ** 16, 0.1 + 0.2 == 0.3, abs(0.1 + 0.2 - 0.3) < 1e-15, 1.0 == 1, -0.0 == 0.0)
print(float(10 ** 15), float(2 ** 53 + 1), float(-(2 ** 60)), 2 ** 53 + 1 == float(2 ** 53 + 1))
print(7.0 // 2, -7.0 // 2, 7.0 % -2, -7.0 % 2, -0.0 % 5, 5 % -0.5, divmod(7.5, 2), divmod(-7.5, 2))
print(1.0 / 3 * 3, 0.1 * 10, sum([0.1] * 10), 1e-320 * 1e10, 2.5 ** -2, (-2.0) ** 3, (-8.0) ** 2)
print(int(1e15), int(-2.5), int(2.9999999999999996), float(int(1e18)), 1e18 == 10 ** 18)
print(max(0.1, 0.10000000000000002), min(-0.0, 0.0), abs(-0.0), abs(-2.5), -(0.0))
print(str(1.0) + "!", "%s %r" % (0.1, 0.2), f"{0.1} {0.2!r} {1e20}", format(0.1), format(1e20, ""))
print(round(0.1 + 0.2, 10), 3.0 * 1.1, 0.7 + 0.1, 0.8 - 0.1, 1.23e-5 * 2, 4.0e-3 / 2)
print(float("  -3.25 "), float("+1.5e-3"), float("1_000.5"), float(".5"), float("5."), float("1E5"))
total = 0.0
for i in range(1, 11):
    total += 1 / i
print(total, total * 1000, total / 7)
