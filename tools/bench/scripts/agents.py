# Agent update: the compute a game script does each frame (classes, floats,
# lists, dicts), with no tasklets. Runs unchanged on CPython 3.11.
class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def scale(self, k):
        return Vec(self.x * k, self.y * k)

    def length2(self):
        return self.x * self.x + self.y * self.y


class Agent:
    def __init__(self, i):
        self.pos = Vec(float(i % 100), float((i * 37) % 100))
        self.vel = Vec(1.0 + (i % 7) * 0.1, 0.5 - (i % 5) * 0.1)
        self.energy = 100.0
        self.state = "wander"
        self.memory = {"seen": 0, "fled": 0}

    def update(self, dt, threat):
        d = Vec(self.pos.x - threat.x, self.pos.y - threat.y)
        if d.length2() < 400.0:
            self.state = "flee"
            self.memory["fled"] += 1
            self.vel = d.scale(0.05)
        else:
            self.state = "wander"
            self.memory["seen"] += 1
        self.pos = self.pos.add(self.vel.scale(dt))
        self.energy -= 0.01 * dt
        if self.pos.x < 0.0 or self.pos.x > 100.0:
            self.vel = Vec(-self.vel.x, self.vel.y)
        if self.pos.y < 0.0 or self.pos.y > 100.0:
            self.vel = Vec(self.vel.x, -self.vel.y)


def simulate(count, steps):
    agents = [Agent(i) for i in range(count)]
    threat = Vec(50.0, 50.0)
    for step in range(steps):
        threat = Vec(50.0 + (step % 20) - 10.0, 50.0 - (step % 14) + 7.0)
        for a in agents:
            a.update(0.1, threat)
    fled = 0
    energy = 0.0
    for a in agents:
        fled += a.memory["fled"]
        energy += a.energy
    return fled, round(energy, 3)


print(simulate(1000, 300))
