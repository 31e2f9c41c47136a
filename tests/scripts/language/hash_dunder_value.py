# A class's __hash__ result is its hash as it is (the int fits a machine
# word): a key that hashes and compares like a str finds the str's entry.
class Key:
    def __init__(self, text):
        self.text = text
    def __hash__(self):
        return hash(self.text)
    def __eq__(self, other):
        return other == self.text if isinstance(other, str) else other.text == self.text


class Fixed:
    def __init__(self, h):
        self.h = h
    def __hash__(self):
        return self.h


print("a" in {Key("a"): 1}, Key("b") in {"b": 2}, {"c": 3}[Key("c")])
print(hash(Key("a")) == hash("a"))
for h in [0, 1, -1, -2, 2**61 - 1, 2**61, 2**62, -2**62, 9223372036854775807, -9223372036854775807 - 1, True, False]:
    print(h, hash(Fixed(h)))
