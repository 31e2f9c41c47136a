# random: properties that hold for any generator, so CPython and Spindle
# print the same (the numbers themselves differ by design).
import random

random.seed(12345)
xs = [random.random() for _ in range(1000)]
print(all([0.0 <= x < 1.0 for x in xs]), len(set(xs)) > 990, type(xs[0]).__name__)
print(0.3 < sum(xs) / len(xs) < 0.7)

ints = [random.randint(1, 6) for _ in range(600)]
print(min(ints), max(ints), sorted(set(ints)), all([type(i) is int for i in ints]))
print(all([random.randint(-3, -3) == -3 for _ in range(10)]))

r = [random.randrange(10) for _ in range(500)]
print(min(r), max(r), len(set(r)))
r = [random.randrange(5, 8) for _ in range(200)]
print(sorted(set(r)))
r = [random.randrange(0, 100, 10) for _ in range(500)]
print(sorted(set(r)))
r = [random.randrange(10, 0, -3) for _ in range(300)]
print(sorted(set(r)))
r = [random.randrange(-5, 5, 4) for _ in range(300)]
print(sorted(set(r)))
print(random.randrange(start=7, stop=8), random.randrange(3, step=5, stop=4), random.randint(a=2, b=2))
big = [random.randrange(-2**62, 2**62) for _ in range(100)]
print(all([-2**62 <= b < 2**62 for b in big]), len(set(big)))

u = [random.uniform(2, 5) for _ in range(500)]
print(all([2 <= x <= 5 for x in u]), type(u[0]).__name__)
u = [random.uniform(1.5, -1.5) for _ in range(500)]
print(all([-1.5 <= x <= 1.5 for x in u]))
print(random.uniform(3, 3))

seq = ["a", "b", "c"]
picks = [random.choice(seq) for _ in range(300)]
print(sorted(set(picks)))
print(random.choice("x"), random.choice((7,)), random.choice(range(4, 5)), random.choice({0: "zero"}))
print(sorted({random.choice("spindle") for _ in range(500)}))

deck = list(range(52))
random.shuffle(deck)
print(sorted(deck) == list(range(52)), deck != list(range(52)), len(deck))
one = [1]
random.shuffle(one)
empty = []
random.shuffle(empty)
print(one, empty, random.shuffle([3, 1, 2]))
t = (1,)
random.shuffle(t)
print(t)


class Seq:
    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

    def __setitem__(self, i, v):
        self.items[i] = v


s = Seq(list("abcdef"))
random.shuffle(s)
print(sorted(s.items), random.choice(s) in "abcdef")

# The same seed gives the same numbers; a different seed, different ones.
def draw(seed):
    random.seed(seed)
    return [random.random() for _ in range(5)] + [random.randint(0, 10**9) for _ in range(5)]


print(draw(42) == draw(42), draw(42) != draw(43), draw("level-1") == draw("level-1"), draw("a") != draw("b"))
print(draw(7.0) == draw(7), draw(True) == draw(1))
random.seed(99)
d1 = list(range(20))
random.shuffle(d1)
random.seed(99)
d2 = list(range(20))
random.shuffle(d2)
print(d1 == d2)

# getstate/setstate round trip, also across reseeding.
random.seed(2024)
state = random.getstate()
first = [random.random() for _ in range(10)]
random.seed(1)
random.setstate(state)
second = [random.random() for _ in range(10)]
print(first == second, type(state).__name__, state == random.getstate())
random.setstate(state)
print([random.randrange(1000) for _ in range(3)] == [random.randrange(1000) for _ in range(3)])
print(random.seed(5), random.setstate(random.getstate()))
