# f-strings: expressions, conversions, format specs (nested too), escapes.
name = "Ann"
age = 31
pi = 3.14159265
items = [1, 2, 3]
d = {"key": "value", "n": 5}
print(f"{name} is {age}", f"{name!r} {name!s} {'é'!a}", f"{age:5}|{age:<5}|{age:^5}|{age:05}|{age:+}")
print(f"{pi:.2f} {pi:10.4f}| {pi:e} {pi:.3g} {pi * 100:.1f}% {1 / 3:.2%} {1234567.891:,.2f} {255:#x} {255:08b}")
print(f"{items} {items[0]} {items[-1]} {d['key']} {d['n'] * 2} {len(items)} {sum(items) / len(items):.2f}")
print(f"{'nested ' + name} {name.upper()} {name[::-1]} {age if age > 18 else 'minor'} {[x * 2 for x in items]}")
width = 10
prec = 3
print(f"{pi:{width}.{prec}f}|{name:>{width}}|{name:*^{width}}|{age:{'x' if age else 'd'}}")
print(f"{{literal braces}} {{{age}}} {'{'}{'}'}", f"{age}{age}", f"", f"{''}", f"{None} {True} {1.0} {-0.0} {1e16}")
print(f"{3 + 4}", f"{(lambda x: x * 2)(21)}", f"{'a' 'b'}", f"{age!r:>6}")
x = 0.1 + 0.2
print(f"{x} {x!r} {x:.17g} {x:g} {x:10.3}|")
rows = [("alpha", 1, 0.5), ("beta", 22, 12.25), ("gamma", 333, 100.0)]
for label, count, ratio in rows:
    print(f"{label:<8}|{count:>5}|{ratio:>8.2f}|{count * ratio:>10,.1f}|")
class Temp:
    def __init__(self, c):
        self.c = c
    def __format__(self, spec):
        if spec == "F":
            return f"{self.c * 9 / 5 + 32:.1f}F"
        return f"{self.c:{spec}}C" if spec else f"{self.c}C"
    def __str__(self):
        return "Temp(%s)" % self.c
    def __repr__(self):
        return "Temp(c=%r)" % self.c
t = Temp(21.5)
print(f"{t} {t:F} {t:.0f} {t!s} {t!r}", format(t, "F"), "{:F}".format(t), "{}".format(t), str(t))
multi = f"line {1}\n" f"line {2}"
print(multi)
print(f"tab\there", f"quote\"s", f'single {name!r}', f"""triple {age}""", rf"raw\n{age}", fr"raw\t{name}")
for bad in [lambda: f"{age:x<}", lambda: f"{name:d}", lambda: f"{pi:s}", lambda: f"{items:>5}", lambda: f"{age:.2d}"]:
    try:
        print(bad())
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
