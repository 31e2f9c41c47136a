# A small agent simulation mixing classes, closures, dicts, sets, sorting and formatting.
class Agent:
    next_id = 1
    def __init__(self, kind, x, y, energy=10):
        self.id = Agent.next_id
        Agent.next_id += 1
        self.kind = kind
        self.x, self.y = x, y
        self.energy = energy
        self.visited = {(x, y)}
    def __repr__(self):
        return "%s#%d@(%d,%d)e%d" % (self.kind, self.id, self.x, self.y, self.energy)
    def move(self, dx, dy, size):
        self.x = (self.x + dx) % size
        self.y = (self.y + dy) % size
        self.energy -= 1
        self.visited.add((self.x, self.y))
    def alive(self):
        return self.energy > 0
class Hunter(Agent):
    def __init__(self, x, y):
        super().__init__("hunter", x, y, energy=15)
    def step(self, world):
        prey = world.nearest(self, "grazer")
        if prey is None:
            return self.move(1, 0, world.size)
        dx = (prey.x > self.x) - (prey.x < self.x)
        dy = (prey.y > self.y) - (prey.y < self.y)
        self.move(dx, dy, world.size)
        if (self.x, self.y) == (prey.x, prey.y):
            world.log.append("%r eats %r" % (self, prey))
            prey.energy = 0
            self.energy += 5
class Grazer(Agent):
    def __init__(self, x, y, pattern):
        super().__init__("grazer", x, y)
        self.pattern = pattern
        self.turn = 0
    def step(self, world):
        dx, dy = self.pattern[self.turn % len(self.pattern)]
        self.turn += 1
        self.move(dx, dy, world.size)
class World:
    def __init__(self, size):
        self.size = size
        self.agents = []
        self.log = []
    def add(self, agent):
        self.agents.append(agent)
        return agent
    def nearest(self, origin, kind):
        candidates = [a for a in self.agents if a.kind == kind and a.alive()]
        if not candidates:
            return None
        return min(candidates, key=lambda a: (abs(a.x - origin.x) + abs(a.y - origin.y), a.id))
    def tick(self, n):
        for agent in list(self.agents):
            if agent.alive():
                agent.step(self)
        before = len(self.agents)
        self.agents = [a for a in self.agents if a.alive()]
        if len(self.agents) != before:
            self.log.append("tick %d: %d removed" % (n, before - len(self.agents)))
world = World(8)
world.add(Hunter(0, 0))
world.add(Grazer(4, 4, [(1, 0), (0, 1)]))
world.add(Grazer(7, 2, [(-1, 0), (0, -1), (1, 1)]))
world.add(Hunter(6, 6))
for n in range(1, 13):
    world.tick(n)
    summary = sorted([(a.kind, a.id) for a in world.agents])
    print("%2d %s" % (n, " ".join(["%s%d" % (k[0], i) for k, i in summary])))
print("\n".join(world.log))
by_kind = {}
for agent in world.agents:
    by_kind.setdefault(agent.kind, []).append(agent)
for kind in sorted(by_kind):
    print(kind, sorted(by_kind[kind], key=lambda a: a.id))
for agent in world.agents:
    cells = sorted(agent.visited)
    print(agent.id, len(cells), cells[:4], {c[0] for c in cells})
stats = {"energy": sum([a.energy for a in world.agents]), "count": len(world.agents)}
print("{count} agents, {energy} energy, {avg:.2f} avg".format(avg=stats["energy"] / max(stats["count"], 1), **stats))
