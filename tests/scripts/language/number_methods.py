# Methods and data attributes of int, bool and float.
for n in [0, 1, 5, 255, 256, -1, -256, 2**62, -2**62, 9223372036854775807]:
    print(n, n.bit_length(), n.bit_count(), n.real, n.imag, n.numerator, n.denominator, n.conjugate(), n.as_integer_ratio())
print(True.bit_length(), True.real, False.imag, True.numerator, True.conjugate(), type(True.real).__name__)
print(int.bit_length(10), int.bit_length(True))
for x in [0.0, -0.0, 2.0, 2.5, -0.75, 0.1, 1e15, 3.0e18, 5e-324 * 0]:
    print(x, x.is_integer(), x.as_integer_ratio(), x.real, x.imag, x.conjugate())
print(float("inf").is_integer(), float("nan").is_integer())
n, d = (0.375).as_integer_ratio()
print(n / d == 0.375)
for bad in [float("inf"), float("-inf"), float("nan")]:
    try:
        bad.as_integer_ratio()
    except (OverflowError, ValueError) as e:
        print(type(e).__name__, e)
try:
    (5).bit_length(1)
except TypeError as e:
    print(e)
try:
    (1.5).numerator
except AttributeError as e:
    print(e)
try:
    (5).is_integer()
except AttributeError as e:
    print(e)
