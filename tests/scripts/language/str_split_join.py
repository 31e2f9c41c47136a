# str.split / rsplit / splitlines / join / strip / partition / replace.
print("a,b,,c".split(","), "a,b,,c".split(",", 1), "a,b,,c".split(",", maxsplit=2), "a,b,,c".rsplit(",", 1))
print("  a  b\tc\n ".split(), "  a  b  c  ".split(None, 1), "  a  b  c  ".rsplit(None, 1), "a b c".split(" ", -1))
print("".split(), "".split(","), "   ".split(), "abc".split("abc"), "a--b--c".split("--"), "aaa".split("a"))
print("one two".split(sep=None, maxsplit=0), "  x y".rsplit(maxsplit=0), "x\u3000y\u2003z".split())
print("a\nb\r\nc\rd\n".splitlines(), "a\nb\r\nc\n".splitlines(True), "".splitlines(), "\n\n".splitlines(), "x".splitlines(keepends=True))
print("l1\x0bl2\x0cl3\x1cl4\u2028l5\x85l6".splitlines())
print("-".join(["a", "b", "c"]), "".join(["x", "y"]), ", ".join([]), "+".join("abc"), " ".join(("t", "u")))
print("|".join({"k1": 1, "k2": 2}), "/".join([str(i) for i in [1, 2]]))
print(repr("  \t spaced \n ".strip()), repr("  left".lstrip()), repr("right  ".rstrip()), repr("\u3000wide\u3000".strip()))
print("xxhixx".strip("x"), "xyzhizyx".strip("xyz"), "www.example.com".lstrip("w."), "file.txt.bak".rstrip(".bak"))
print(repr("".strip()), repr("   ".strip()), "abc".strip(""), "aaa".strip("a") == "", "éaé".strip("é"))
print("key=value=more".partition("="), "key=value=more".rpartition("="), "novalue".partition("="), "novalue".rpartition("="))
print("a.b.c".partition("."), "a.b.c".rpartition("."), "abc".partition("abc"), "é|ü".partition("|"))
print("aaaa".replace("a", "b"), "aaaa".replace("a", "b", 2), "aaaa".replace("aa", "c"), "abc".replace("", "-"))
print("abc".replace("", "-", 2), "abc".replace("x", "y"), "hello".replace("l", ""), "ab".replace("ab", "ba", 0), "äöü".replace("ö", "o"))
print("a b c".replace(" ", "", -1), "banana".replace("na", "NA", 1), "".replace("", "x"))
csv = "name, age ,city\n  Ann , 31, Oslo\nBob,22 ,  Rome  "
rows = []
for line in csv.splitlines():
    rows.append([field.strip() for field in line.split(",")])
print(rows)
words = "the quick brown fox jumps over the lazy dog".split()
print(len(words), words[::3], " ".join(reversed(words)), sorted(words, key=len))
errors = []
for thunk in [lambda: "a".split(""), lambda: "a".split(1), lambda: "a".join([1]), lambda: "a".join(5),
              lambda: "a".strip(3), lambda: "a".partition(""), lambda: "a".rpartition(None),
              lambda: "a".replace(1, "b"), lambda: "a".split(",", "x"), lambda: "a".split(",", 1, 2),
              lambda: "a".splitlines(1, 2), lambda: "a".split(x=1), lambda: "a".split(",", sep=","),
              lambda: "a".strip("a", "b"), lambda: "a".replace("a"), lambda: "a".replace("a", "b", count=1),
              lambda: "a".join(), lambda: ",".join(["a", None, "c"])]:
    try:
        thunk()
    except (TypeError, ValueError) as e:
        errors.append(type(e).__name__ + ": " + str(e))
for e in errors:
    print(e)
