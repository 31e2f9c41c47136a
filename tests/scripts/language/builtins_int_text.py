# hex(), oct(), bin() and pow() with a modulus, negative exponents included.
for n in [0, 1, 255, -255, 8, -8, 9223372036854775807, -9223372036854775807 - 1, True]:
    print(hex(n), oct(n), bin(n))
class Index:
    def __index__(self):
        return 42
print(hex(Index()), oct(Index()), bin(Index()))
for bad in [1.5, "1", None]:
    try:
        hex(bad)
    except TypeError as e:
        print(e)
print(pow(2, 10, 1000), pow(3, -1, 7), pow(-3, -1, 7), pow(3, -2, 7), pow(5, -1, -7), pow(2, 10, -7), pow(0, 0, 1))
print(pow(10, -3, 9223372036854775807), pow(9223372036854775806, 9223372036854775806, 9223372036854775807))
print(pow(-9223372036854775807 - 1, 3, 1000), pow(7, 2, -9223372036854775807 - 1))
for args in [(2, -1, 4), (0, -1, 5), (2, 3, 0)]:
    try:
        pow(*args)
    except ValueError as e:
        print(e)
print(divmod(7, 2), divmod(-7.5, 2))
try:
    divmod("a", 1)
except TypeError as e:
    print(e)
print(hash("") == 0)
