# round() rounds half to even, on the exact binary value of a float.
for x in [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49999999999999994, 4.5, 5.5, 1e15 + 0.5, -0.0, 7.0]:
    print(x, round(x), type(round(x)).__name__)
for x, n in [(2.675, 2), (2.665, 2), (1.005, 2), (0.125, 2), (0.375, 2), (1.25, 1), (1.35, 1), (-1.25, 1),
             (123.456, -1), (125.0, -1), (135.0, -1), (-125.0, -1), (1234.5678, 0), (1234.5678, 3),
             (0.5, 0), (1.5, 0), (2.5, None), (1e300, 2), (1e-300, 2), (5e-324, 300), (123.456, 10), (0.0, 3)]:
    r = round(x, n)
    print(x, n, r, type(r).__name__)
for x, n in [(15, -1), (25, -1), (35, -1), (-15, -1), (-25, -1), (1234, -2), (1250, -2), (1350, -2), (7, 0), (7, 3),
             (999, -3), (500, -3), (1500, -3), (2500, -3), (123456789, -4), (5, -1), (-5, -1), (0, -1), (49, -2)]:
    r = round(x, n)
    print(x, n, r, type(r).__name__)
print(round(True), round(False, 2), round(-7), round(3.999), round(-3.001))
try:
    round(float("nan"))
except ValueError as e:
    print("ValueError:", e)
try:
    round(float("inf"))
except OverflowError as e:
    print("OverflowError:", e)
try:
    round(1.5, 1.0)
except TypeError as e:
    print("TypeError:", e)
try:
    round("1.5")
except TypeError as e:
    print("TypeError:", e)
print(round(float("inf"), 2), round(float("-inf"), 0), round(float("nan"), 1))

class Money:
    def __init__(self, cents):
        self.cents = cents
    def __round__(self, n=None):
        return "Money.__round__(%r)" % (n,)
print(round(Money(5)), round(Money(5), 2))
