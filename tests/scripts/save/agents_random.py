# Random agents: each wanders with the random module and sleeps a random
# number of frames; the log and the agents live in module globals.
import random
import spindle
import stackless

random.seed(7)


class Agent:
    def __init__(self, name):
        self.name = name
        self.x = 0
        self.energy = random.randint(3, 9)

    def step(self):
        self.x += random.choice([-1, 1, 2])
        self.energy -= 1


def life(agent, log):
    while agent.energy > 0:
        agent.step()
        log.append((spindle.frame(), agent.name, agent.x))
        print(spindle.frame(), agent.name, agent.x, round(random.random(), 3))
        spindle.sleep(random.randint(1, 3))
    print("done", agent.name, spindle.frame(), len(log))


log = []
agents = [Agent(n) for n in "abcde"]
for a in agents:
    stackless.tasklet(life)(a, log)
print("spawned", len(agents))
