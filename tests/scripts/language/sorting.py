# Sorting: stability, keys, reverse (also stable), mixed comparable types, sort errors.
records = [("bob", 25, "nyc"), ("alice", 30, "sf"), ("carol", 25, "la"), ("dave", 30, "nyc"), ("eve", 22, "sf")]
print(sorted(records, key=lambda r: r[1]))
print(sorted(records, key=lambda r: r[1], reverse=True))
print(sorted(records, key=lambda r: (r[2], -r[1])))
by_age = sorted(records, key=lambda r: r[0])
by_age.sort(key=lambda r: r[1])
print([r[0] for r in by_age])
print(sorted([3, 1.5, 2, True, -0.5]), sorted(["b", "A", "a", "B"]), sorted(["b", "A", "a", "B"], key=str.lower))
print(sorted([[2, 1], [1, 2], [1], [2]]), sorted([(1, "b"), (1, "a"), (0, "z")]), sorted("Spindle", reverse=True))
words = "the quick brown fox jumps over the lazy dog".split()
print(sorted(words, key=len), sorted(words, key=lambda w: (-len(w), w)), sorted(set(words)))
nums = [5, 2, 9, 1, 5, 6]
nums.sort(key=lambda v: -v)
print(nums, sorted(nums) == sorted(nums, reverse=True)[::-1])
class Card:
    ranks = "23456789TJQKA"
    def __init__(self, text):
        self.rank = text[0]
        self.suit = text[1]
    def __lt__(self, other):
        return Card.ranks.index(self.rank) < Card.ranks.index(other.rank)
    def __repr__(self):
        return self.rank + self.suit
hand = [Card(c) for c in ["Kh", "2s", "Ac", "Td", "2h", "9c"]]
print(sorted(hand), max(hand), min(hand), sorted(hand, reverse=True))
print(sorted({"b": 1, "a": 2}.items(), key=lambda kv: kv[1]), sorted(range(10), key=lambda v: v % 3))
empty = []
empty.sort()
print(empty, sorted([]), sorted([1]), sorted((3, 2, 1)), sorted({3, 1, 2}))
for bad in [lambda: sorted([1, "a"]), lambda: sorted([None, 1]), lambda: [3, 1].sort(key=5), lambda: sorted([1], cmp=1),
            lambda: [2, 1].sort(reverse=True, key=None, extra=1), lambda: [[1], ["a"]].sort(), lambda: [1, 2].sort(lambda x: x)]:
    try:
        bad()
    except TypeError as e:
        print("TypeError:", e)
