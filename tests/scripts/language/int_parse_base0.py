# int(text, 0) reads text as a literal: no leading zeros, prefixes chosen by the text.
print(int("0", 0), int("00", 0), int("0_0", 0), int("-0", 0), int("0x_1f", 0), int("0o17", 0), int("0B11", 0), int(" 7 ", 0))
for text, base in [("08", 0), ("010", 0), ("-01", 0), ("0_1", 0), ("0x", 0), ("0b2", 0), ("0x", 16), ("0b", 2), ("12", 2)]:
    try:
        int(text, base)
    except ValueError as e:
        print(e)
