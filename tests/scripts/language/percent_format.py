# printf-style formatting: str % args.
print("%s|%r|%a" % ("é", "é", "é"), "%d %i %u" % (1, -2, 3), "%5d|%-5d|%05d|%+d|% d" % (42, 42, 42, 42, 42))
print("%x %X %o %#x %#X %#o" % (255, 255, 8, 255, 255, 8), "%08.3f|%-8.2f|%+.1f|% .0f" % (3.14159, 2.5, -1.25, 0.5))
print("%e %E %.2e %g %G %.3g %#g %g" % (12345.678, 0.00012, 1e100, 1e-5, 1e20, 2.0 / 3, 1.0, 100000.0))
print("%c%c%c" % (72, 105, "!"), "%5c|%-3c|" % ("x", 65), "%%" % (), "100%%" % (), "%s%%" % 50)
print("%(name)s is %(age)d" % {"name": "Ann", "age": 31}, "%(x)s %(x)r" % {"x": "dup"}, "%(a)05.1f" % {"a": 2.25})
print("%*d|%-*d|%.*f|%*.*f" % (5, 1, 4, 2, 2, 3.14159, 8, 3, 2.71828), "%-*s|" % (-6, "neg"))
print("%s" % [1, 2], "%s" % ((1, 2),), "%s %s" % ("tuple", (3,)), "%s" % {"k": (1,)}, "%r" % None, "%s" % True)
print("%.3s|%10.4s|%-6s|%6s|" % ("abcdef", "abcdefg", "ab", "ab"), "%.0s" % "gone", "%3s" % "héllo")
print("%d" % 3.99, "%d" % -3.99, "%i" % True, "%x" % False, "%.3d" % 7, "%+.3d" % -7, "%#.5x" % 255, "%08.3d" % 5)
print("%f %f %f" % (float("inf"), float("-inf"), float("nan")), "%5.1f|%-8e|" % (float("inf"), float("nan")), "%F" % float("inf"))
print("%s and %s" % ("a", "b"), "%s" % "only", "%s" % ("one",), "no args" % (), "%s" % [], "%s" % ((),))
print("%-+8.2f|%0+8.2f|% 08.2f|%- 8d|" % (3.14159, 3.14159, 3.14159, 5))
total = 0
lines = []
for name, qty, price in [("apples", 3, 0.5), ("pears", 12, 1.25), ("figs", 100, 0.075)]:
    lines.append("%-8s x%3d @ %6.3f = %8.2f" % (name, qty, price, qty * price))
    total += qty * price
print("\n".join(lines))
print("%-8s %21.2f" % ("total", total))
errors = []
cases = [("%d", "x"), ("%s %s", (1,)), ("%s", (1, 2)), ("%(a)s", (1,)), ("%z", 1), ("%", ()), ("%c", "ab"),
         ("%c", 1114112), ("%x", 1.5), ("%d", None), ("%(a", {"a": 1}), ("%s %(a)s", {"a": 1}), ("%.*f", ("x", 1.0)),
         ("abc", 5), ("abc", "x"), ("%f", "1.5"), ("%d", float("nan")), ("%d", float("inf")), ("%5", 1), ("%-", 1)]
for fmt, args in cases:
    try:
        print(repr(fmt % args))
    except (TypeError, ValueError, KeyError, OverflowError) as e:
        errors.append("%r %% %r -> %s: %s" % (fmt, args, type(e).__name__, e))
for e in errors:
    print(e)
print("abc" % [], "abc" % {}, "%s" % {"a": 1})
