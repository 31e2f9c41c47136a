# Float floor division, modulo and divmod follow CPython's _float_div_mod, including infinities and signed zeros.
inf = float("inf")
values = [7.5, -7.5, 3.0, -3.0, 0.0, -0.0, 1e-310, 2.5, inf, -inf]
divisors = [2.0, -2.0, 0.5, -0.5, inf, -inf, 3, -3, 1e-300]
for x in values:
    row = []
    for y in divisors:
        row.append("%r//%r=%r %%=%r" % (x, y, x // y, x % y))
    print(" | ".join(row))
print(divmod(7.5, 2), divmod(-7.5, 2), divmod(7.5, -2), divmod(-0.0, 1.0), divmod(0.0, -1.0), divmod(1e300, 1e-300))
print(5 // 0.3, 5 % 0.3, -5 // 0.3, -5 % 0.3, 0.1 // 0.01, 0.1 % 0.01, 1.0 // 0.1, 1.0 % 0.1)
print((-inf) ** 0.5, (-inf) ** 3, (-inf) ** 2.0, inf ** -1, (-2.0) ** inf, 0.5 ** inf, 2.0 ** -inf, (-8.0) ** (1.0 / 3) if False else 1)
print(float("nan") // 1.0, float("nan") % 1.0, 1.0 // float("nan"), 7 // 2.0, -7 // 2.0, 7 % -2.0, -0.0 // 1, 0.0 // -1)
for a, b in [(1, 0.0), (0.0, 0), (inf, 0.0)]:
    for name in ["//", "%", "divmod"]:
        try:
            if name == "//":
                a // b
            elif name == "%":
                a % b
            else:
                divmod(a, b)
        except ZeroDivisionError as e:
            print(a, name, b, "ZeroDivisionError:", e)
