# str padding and shaping: center/ljust/rjust/zfill/expandtabs/removeprefix/removesuffix.
for w in ["", "a", "ab", "abc", "héé"]:
    print("[" + w.center(6) + "]", "[" + w.center(7, "*") + "]", "[" + w.ljust(5, ".") + "]", "[" + w.rjust(5) + "]", "[" + w.center(1) + "]")
print("[" + "ab".center(5) + "]", "[" + "ab".center(6) + "]", "[" + "abc".center(6) + "]", "[" + "abc".center(4, "é") + "]")
print("42".zfill(5), "-42".zfill(5), "+42".zfill(5), "42".zfill(1), "".zfill(2), "-".zfill(3), "a-b".zfill(5), "3.14".zfill(8))
print(repr("a\tb\tc".expandtabs()), repr("a\tbb\tccc\t".expandtabs(4)), repr("ab\n\tx\r\ty".expandtabs(3)), repr("\t".expandtabs(0)))
print(repr("é\tx".expandtabs(tabsize=2)), repr("12345678\tx".expandtabs()))
print("test_file.py".removeprefix("test_"), "test_file.py".removesuffix(".py"), "abc".removeprefix("x"), "abc".removesuffix(""))
print("aaa".removeprefix("a"), "ab".removeprefix("ab"), "ab".removesuffix("abc"))
table = [("apple", 1.5, 10), ("kiwi", 0.25, 200), ("watermelon", 3.0, 3)]
for name, price, count in table:
    print(name.ljust(12) + str(price).rjust(6) + str(count).rjust(5) + "|")
for bad in [lambda: "a".center(), lambda: "a".center(5, "ab"), lambda: "a".center(5, ""), lambda: "a".ljust(5, 1),
            lambda: "a".rjust("5"), lambda: "a".zfill(), lambda: "a".zfill(2.0), lambda: "a".expandtabs("4"),
            lambda: "a".removeprefix(1), lambda: "a".center(5, fillchar="x"), lambda: "a".upper(1), lambda: "a".isdigit(2)]:
    try:
        bad()
    except TypeError as e:
        print("TypeError:", e)
