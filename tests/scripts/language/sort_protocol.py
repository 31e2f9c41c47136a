# list.sort runs CPython's timsort: the same comparisons in the same order, the list looks empty while it is
# sorted, a failed sort leaves a partial order, and changing the list during the sort is an error.
log = []
class Loud:
    def __init__(self, v):
        self.v = v
    def __lt__(self, other):
        log.append((self.v, other.v))
        return self.v < other.v
    def __repr__(self):
        return "L%d" % self.v
items = [Loud(v) for v in [5, 2, 8, 1, 9, 3]]
items.sort()
print(items, len(log), log)
log.clear()
print(sorted([Loud(v) for v in [3, 1, 2]], reverse=True), log)
counts = []
for n in [10, 64, 65, 200, 1000]:
    log.clear()
    data = [Loud((i * 7919) % n) for i in range(n)]
    data.sort()
    counts.append((n, len(log), [d.v for d in data[:5]]))
print(counts)
log.clear()
runs = [Loud(v) for v in list(range(40)) + list(range(100, 60, -1)) + list(range(40, 60))]
runs.sort()
print(len(log), [r.v for r in runs[38:45]])
mixed = [3, 1, "x", 2, 0]
try:
    mixed.sort()
except TypeError as e:
    print("TypeError:", e)
print(mixed)
mixed2 = [5, 4, 3, 2, 1, None, 0]
try:
    mixed2.sort(reverse=True)
except TypeError as e:
    print("TypeError:", e)
print(mixed2)
seen_lengths = []
watched = [3, 1, 2]
def key(v):
    seen_lengths.append(len(watched))
    return v
watched.sort(key=key)
print(watched, seen_lengths)
victim = [3, 1, 2]
def meddle(v):
    victim.append(v)
    return v
try:
    victim.sort(key=meddle)
except ValueError as e:
    print("ValueError:", e)
print(victim)
def bad_key(v):
    if v == 2:
        raise KeyError("no key for 2")
    return v
keyed = [3, 2, 1]
try:
    keyed.sort(key=bad_key)
except KeyError as e:
    print("KeyError:", e)
print(keyed)
pairs = [(1, "b"), (0, "z"), (1, "a"), (0, "y")]
print(sorted(pairs, key=lambda p: p[0]), sorted(pairs, key=lambda p: p[0], reverse=True))
