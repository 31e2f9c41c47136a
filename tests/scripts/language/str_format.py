# str.format: numbering, keywords, attributes and indexes, conversions, nested specs, errors.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)
    def __str__(self):
        return "(%s, %s)" % (self.x, self.y)

p = Point(1, 2.5)
print("{} {} {}".format(1, "two", 3.0), "{0}{1}{0}".format("a", "b"), "{2}-{1}-{0}".format(1, 2, 3))
print("{name} is {age}".format(name="Ann", age=31), "{0} {x}".format("pos", x="kw"), "{}".format(p), "{!r}".format(p))
print("{0.x} {0.y} {p.x}".format(p, p=p), "{0[1]} {0[0]}".format("ab"), "{d[key]} {d[0]}".format(d={"key": "v", 0: "zero"}))
print("{0[0][1]} {0[1].x}".format([[1, 2], p]), "{l[2]}".format(l=[10, 20, 30]), "{t[0]}".format(t=(5,)))
print("{!s} {!r} {!a}".format("é", "é", "é€"), "{0!r:>8}|{0!s:<5}|".format("x"), "{:>8}".format(repr(p)))
print("{{}} {{{}}} {{0}}".format(7), "}}{{".format(), "{:{}}|".format("x", 4), "{:{fill}{align}{width}}".format(3, fill="*", align="^", width=7))
print("{0:{1}.{2}f}".format(3.14159, 9, 3), "{:.{}}".format("abcdef", 2), "{:>{w}}|".format("r", w=3))
print("{:d} {:5d} {:<5d}| {:^5d} {:+d} {: d} {:05d} {:,d} {:_d}".format(1, 2, 3, 4, 5, 6, -7, 1234567, 7654321))
print("{:x} {:X} {:#x} {:o} {:#o} {:b} {:#b} {:08b} {:c}".format(255, 255, 255, 8, 8, 5, 5, 5, 9731))
print("{:f} {:.2f} {:8.3f} {:<8.1f}| {:e} {:.3E} {:g} {:g} {:G} {:%} {:.1%}".format(3.14159, 2.5, -1.0, 0.05, 12345.678, 0.000123, 1e-5, 123456789.0, 1e-20, 0.125, 2 / 3))
print("{:,.2f} {:>12,} {:=+10.3f} {:010.2f} {:.0f} {:.0f} {:.0f}".format(1234567.891, 9876543, 3.5, -2.25, 0.5, 1.5, 2.5))
print("{} {} {} {}".format(1e16, 1.0, -0.0, float("inf")), "{:.3}".format(1234.5678), "{:.3g}".format(0.0001234), "{:10}|".format(2.5))
print("{:>6}|{:<6}|{:^6}|{:*^7}|{:.2}|".format("ab", "cd", "ef", "gh", "ijk"), "{:5}|{:>5}|".format(True, False), "{}".format([1, (2,)]))
print("{:g} {:g} {:g} {:g}".format(100000.0, 1000000.0, 0.0001, 0.00001), "{:.10g}".format(1 / 7), "{:#g}".format(1.0))
print("x{}y".format(""), "{}".format(None), "{0}{0}".format("dup"), "{a}{b}{a}".format(a=1, b=2))
print("{0} and {x}".format_map({"x": "mapped"}) if False else "{x} and {y}".format_map({"x": "mapped", "y": 2}))
errors = []
cases = [("{}", ()), ("{0}", ()), ("{a}", ()), ("{", ()), ("}", ()), ("{0}{}", (1, 2)), ("{}{0}", (1, 2)), ("{!x}", (1,)),
         ("{0.foo}", (1,)), ("{0[5]}", ([1],)), ("{0[k]}", ({},)), ("{0[}", (1,)), ("{0.}", (1,)), ("{0]}", (1,)),
         ("{:d}", ("a",)), ("{:x}", (1.5,)), ("{0!}", (1,)), ("{0!rr}", (1,)), ("{:{}}", (1,)), ("{:{:{}}}", (1, 2, 3)),
         ("{0[0]x}", ([1],)), ("{:>5}", (None,)), ("{:s}", (5,)), ("{:5}", ([1],)), ("{0[0]}", (5,)), ("a{:}}b", (1,)),
         ("{0!", (1,)), ("{0:", (1,)), ("{0", (1,)), ("{:.2d}", (5,)), ("{:,s}", ("x",)), ("{:+s}", ("x",))]
for fmt, args in cases:
    try:
        print(repr(fmt.format(*args)))
    except (ValueError, IndexError, KeyError, AttributeError, TypeError) as e:
        errors.append("%s %s: %s" % (repr(fmt), type(e).__name__, e))
for e in errors:
    print(e)
try:
    "{}".format_map({})
except ValueError as e:
    print("format_map:", e)
try:
    "{x}".format_map({"y": 1})
except KeyError as e:
    print("format_map KeyError:", e)
