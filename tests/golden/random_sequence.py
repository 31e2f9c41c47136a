# Spindle's own random sequence (xoshiro256** seeded through splitmix64), not
# CPython's: save games store the generator's state, so these numbers must
# never change between builds or platforms. The expected output is Spindle's.
import random

print(random.getstate())  # the unseeded start: as after seed(0)
print(random.random(), random.randint(1, 100), random.randrange(-50, 50, 7))
random.seed(0)
print(random.random())
random.seed(12345)
print([random.randrange(1000) for _ in range(8)])
print([round(random.uniform(-1, 1), 6) for _ in range(3)])
deck = list(range(10))
random.shuffle(deck)
print(deck, random.choice("abcdefgh"))
random.seed("level-1")
print(random.getstate())
lowest, highest = -2**62 * 2, 2**62 - 1 + 2**62
print(random.randrange(lowest, highest), random.randint(lowest, highest - 1), random.random())
