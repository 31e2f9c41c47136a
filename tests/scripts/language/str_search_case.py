# str searching (find/index/count/startswith/endswith) and case methods, with Unicode.
s = "héllo wörld, héllo"
print(s.find("llo"), s.rfind("llo"), s.find("llo", 5), s.find("llo", 5, 10), s.find("zz"), s.rfind("h", 0, -1))
print(s.index("wö"), s.rindex("é"), s.count("l"), s.count("llo"), s.count("l", 5), s.count("", 15), s.count("x"))
print(s.find(""), s.rfind(""), s.find("", 30), s.find("h", -5), s.find("h", -100, 3), "aaaa".count("aa"))
print(s.startswith("hé"), s.startswith("wö", 6), s.startswith(("x", "héllo")), s.endswith("llo"), s.endswith("ö", 0, 8))
print(s.endswith(("a", "b")), s.startswith(()), "".startswith(""), "abc".startswith("", 3), "abc".startswith("", 4))
print("abc".endswith("bc", -2), "abc".endswith("c", None, None), "abc".startswith("a", None, 1))
for bad in [lambda: s.index("zz"), lambda: s.rindex("zz", 0, 3)]:
    try:
        bad()
    except ValueError as e:
        print("ValueError:", e)
for bad in [lambda: s.find(1), lambda: s.count(None), lambda: s.startswith(1), lambda: s.startswith(("a", 2)),
            lambda: s.find("a", "1"), lambda: s.endswith(), lambda: s.find("a", 1, 2, 3), lambda: s.find("a", x=1)]:
    try:
        bad()
    except TypeError as e:
        print("TypeError:", e)

words = ["hello world", "HELLO", "hELLO wORLD", "they're bill's friends", "ǆemal", "straße", "ΣΑΣ ΟΔΟΣ", "İstanbul",
         "ﬁnal", "mixed123case", "", "123", "a_b-c d"]
for w in words:
    print(repr(w), w.upper(), w.lower(), w.title(), w.capitalize(), w.swapcase(), w.casefold(), len(w.lower()))
tests = ["abc", "ABC", "Abc", "aBC", "Abc Def", "Abc def", "123", "12.5", "½", "²", "٣", "abc123", "a b", " \t\n", "",
         "ÀÉÎ", "àéî", "ǅ", "_id", "1st", "ok?", "x\ty", "\u00a0", "e\u0301"]
for t in tests:
    print(repr(t), t.isalpha(), t.isdigit(), t.isdecimal(), t.isnumeric(), t.isalnum(), t.isspace(),
          t.isupper(), t.islower(), t.istitle(), t.isidentifier(), t.isprintable(), t.isascii())
