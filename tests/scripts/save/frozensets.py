# Frozensets in a save game: held by globals, frames and dict keys, one
# built from a set that grew and lost items (a table with holes), sets of
# them. After a load each is still a frozenset, hashes alike (dict lookups
# by an equal one find it) and iterates in the order the uninterrupted run
# gives.
import spindle
import stackless

grown = set()
for i in range(200):
    grown.add(i * 7919 % 1009)
for i in range(190):
    grown.discard(i * 7919 % 1009)
kept = frozenset(grown)
rules = {frozenset(["fire", "wood"]): "burn", frozenset(["water", "fire"]): "steam", frozenset(): "nothing"}
families = {frozenset([i, i + 1]) for i in range(8)}


def alchemist(name, pair):
    seen = frozenset()
    while True:
        mix = frozenset(pair)
        seen = seen | {spindle.frame()}
        print(spindle.frame(), name, rules.get(mix, "?"), sorted(seen)[-2:], type(seen).__name__, hash(mix) == hash(frozenset(pair)))
        spindle.next_frame()


def archivist():
    while True:
        print(spindle.frame(), list(kept), list(families)[:4], frozenset([spindle.frame() % 8, spindle.frame() % 8 + 1]) in families)
        spindle.sleep(2)


stackless.tasklet(alchemist)("ann", ["wood", "fire"])
stackless.tasklet(alchemist)("bob", ("fire", "water"))
stackless.tasklet(archivist)()
