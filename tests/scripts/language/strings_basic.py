# str: indexing, slicing, concatenation, comparison, iteration, escapes; code points, not bytes.
s = "Hello, wörld!"
print(s, len(s), s[0], s[-1], s[7], s[8], s[-6:], s[:5], s[7:12], s[::2], s[::-1], s[100:], s[-100:3])
print(s[1:10:3], s[10:1:-3], s[:], s[5:5], s[6:2], repr(s[12:13]))
print("a" + "b" * 3, 3 * "xy", "ab" * 0, "ab" * -2, "" * 10)
print("lo" in s, "xyz" in s, "" in s, "ö" in s, "W" not in s)
print("abc" < "abd", "abc" < "ab", "Z" < "a", "é" > "z", "a" == "a", "a" != "A", "abc" <= "abc", "b" >= "abc")
print(sorted(["pear", "Apple", "apple", "äpfel", "banana", "Banana"]))
print(max("hello"), min("hello"), list("ab€"), tuple("xy"), set("aa") == {"a"})
for ch in "añ€😀":
    print(ch, ord(ch), repr(ch), len(ch))
print(chr(65), chr(0x20AC), chr(0x1F600), chr(10) == "\n", ord("\t"), ord("\x7f"), ord("\u0100"))
print("tab:\t|", "nl:\\n", "quote:\"", 'apos:\'', "back\\slash", "\x41\u0042\U00000043", "\101")
print(r"raw\n\t", len(r"\n"), r"C:\dir", 'single' "concat" 'enation')
multi = """line one
line two
  indented"""
print(multi)
print(multi.count("\n"), len(multi.split("\n")))
t = ("implicit "
     "joining")
print(t)
word = "spindle"
out = ""
for i in range(len(word)):
    out += word[i].upper() if i % 2 == 0 else word[i]
print(out)
chars = []
for c in "héllo":
    chars.append(c)
print(chars, "".join(reversed(chars)), "-".join(chars))
print(str(123) + "4", int("12") + 4, str(1.5) * 2, repr(str(None)))
print("%" + "d", "{" + "}", "a\0b" == "a\x00b", len("a\0b"))
try:
    s[20]
except IndexError as e:
    print("IndexError:", e)
try:
    s[1.5]
except TypeError as e:
    print("TypeError:", e)
try:
    s[0] = "h"
except TypeError as e:
    print("TypeError:", e)
try:
    "a" < 1
except TypeError as e:
    print("TypeError:", e)
try:
    1 in "abc"
except TypeError as e:
    print("TypeError:", e)
try:
    chr(-1)
except ValueError as e:
    print("ValueError:", e)
try:
    ord("ab")
except TypeError as e:
    print("TypeError:", e)
