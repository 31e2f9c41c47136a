# str.maketrans builds a table of code points; str.translate applies one.
t = str.maketrans("abc", "xyz")
print(t)
print("aabbcc-abc".translate(t))
t = str.maketrans("ab", "AB", "ce")
print(t, "abcde".translate(t))
t = str.maketrans({"a": "1", "b": None, "c": "33", 100: "D", "é": 101})
print(t, "abcdé".translate(t))
print("".maketrans("x", "y"), "hello".translate({104: "J", 111: None}))
print("hello".translate({ord("l"): 76}), "abc".translate({}))
print(str.maketrans("", ""), str.maketrans("", "", "xyz"))
for args in [("ab", "c"), ("a",), ({"ab": 1},), ({1.5: 1},), (1, "a"), ("a", 1), ("a", "b", 3), ()]:
    try:
        str.maketrans(*args)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    "abc".translate({97: 1.5})
except TypeError as e:
    print(e)
