# int values at the edges of 64 bits, without crossing them.
big = 9223372036854775807
small = -9223372036854775807 - 1
print(big, small, big == 2 ** 62 - 1 + 2 ** 62, small == -2 ** 62 - 2 ** 62, -big - 1 == small)
print(big - 1, small + 1, -big, big // 2, big % 10, small // 2, small % 10, small // -3)
print(divmod(big, 1000000007), divmod(small, 1000000007), divmod(small, 1))
print(big // -1, -(small + 1), abs(small + 1), big >> 62, small >> 63, small >> 1, big >> 100, 1 << 62)
print(2 ** 62 + (2 ** 62 - 1), 3037000499 * 3037000499, -3037000499 * 3037000499)
print(big & 0xFF, small | 1, big ^ small, ~big, ~small, big & small)
print(int("9223372036854775807"), int("-9223372036854775808"), str(small), repr(big), int("-0x8000000000000000", 16))
print(int(9.2233720368547e18), int(-9.223372036854775e18), float(big), float(small))
print(big / 2, small / -2, big * 1.0, big == float(big), big < float(big), small == float(small))
print(hash(big), hash(small), hash(2 ** 61 - 1), hash(2 ** 61), hash(-1), hash(-2), hash(2 ** 61 - 2))
print(hash(1.5), hash(-0.5), hash(2.0), hash(0.1), hash(1e100), hash(float("inf")), hash(-float("inf")))
print(pow(big, 1), pow(2, 62), pow(-2, 63), pow(big, 2, 1000000007), pow(small, 3, 97))
print(round(big), round(small), round(big, -2), round(1234567890123456789, -10))
print(max(big, small), min(big, small), sorted([big, small, 0]), sum([big, small]))
print(format(big, ","), format(small, "x"), format(big, "b")[:10], "%d" % small, f"{big:>25}")
print(big // 7 * 7 + big % 7 == big, small // 8 * 8 + small % 8 == small)
print(-(small + 1) == big, (big + small), big - big, small - small)
values = [big, small, 0, 1, -1, 4611686018427387904]
print(sorted(values), sorted(values, reverse=True))
print(list(range(big - 2, big)), list(range(small, small + 3)), len(range(small, big, 2 ** 62)))
print(range(0, big, 2)[-1], range(small, 0)[0], (big - 1) in range(0, big), big in range(0, big))
