# Strings count code points: indexing, slicing, searching, padding and case mapping beyond ASCII.
s = "naïve café 日本語 😀!"
print(len(s), s[2], s[-2], s[11:14], s[::-1], s.find("日"), s.rfind("é"), s.index("😀"), s.count("é"))
print(s.upper(), s.title(), s.split(), s.replace("日本", "にほん"), s.partition("café"), "|" + s.center(24, "·") + "|")
print([c for c in "e\u0301à"], len("e\u0301"), "e\u0301" == "é", repr("\u00e9"), repr("e\u0301"))
print("ΑΒΓ".lower(), "αβγ".upper(), "ΣΊΣΥΦΟΣ".lower(), "ﬀ".upper(), "ß".upper(), "ǉ".title(), "ǈ".swapcase(), "İ".lower().upper())
print("Ⅷ".isnumeric(), "Ⅷ".isdigit(), "٣".isdecimal(), "三".isnumeric(), "字".isalpha(), "😀".isalpha(), "😀".isprintable())
print("\u200b".isprintable(), "\u00a0".isspace(), "\u2028".isspace(), "ℌ".isupper(), "ǅ".istitle(), "µ".islower())
print(repr("\u200b\u00a0\u2028\U0001f600\x85\ud7ff"), ascii("日本 😀"), repr("\x1b[0m"), repr("\t\r\n\\"))
print(sorted(["é", "e", "z", "É", "日", "a"]), max("aé"), min("日本"), "é" < "ê", ord("日"), chr(26085))
print(" ".join(["%s:%d" % (c, ord(c)) for c in "aé日😀"]))
print("{:^9}|{:>6}|{:<4}|".format("日本", "é", "😀"), f"{'ñ':*^5}", "%5s|%-5s|" % ("ü", "ö"))
print("ü".encode if False else "no encode", "abc".isascii(), "é".isascii(), "\x7f".isascii(), "".isascii())
word = "Straße"
print(word.upper(), word.lower(), word.casefold(), word.swapcase(), len(word.upper()), word.upper().lower())
parts = "α,β,,γ".split(",")
print(parts, "·".join(parts), "α β\u3000γ".split(), "αβγ".startswith("αβ"), "αβγ".endswith(("x", "γ")))
print("ΑΣ ΑΣ.".lower(), "Σ".lower(), "ΑΣ1".lower(), "1Σ".lower(), "ΑΣΑ".lower(), "Α'Σ'".lower())
