# The world tools/bench/save_load saves and loads: COUNT agent tasklets, each
# an instance with a few attributes running a loop of nested calls, with
# locals of mixed types, stopped at different points: blocked receiving or
# sending on a channel its group shares, sleeping, or waiting for the next
# frame. The benchmark replaces the COUNT line, runs the module body and a
# few frames, then saves the module globals (and everything they reach).
import spindle
import stackless

COUNT = 1000
GROUP = 100  # agents per shared channel


class Agent:
    def __init__(self, ident, radio, news):
        self.ident = ident
        self.name = "agent-" + str(ident)
        self.pos = [float(ident % 100), float(ident // 100)]
        self.health = 100
        self.radio = radio
        self.news = news
        self.memory = {"seen": 0, "last": None}

    def think(self, tick):
        target = (self.pos[0] + 1.5, self.pos[1] - 0.5)
        mood = "calm" if self.health > 50 else "angry"
        return self.act(tick, target, mood)

    def act(self, tick, target, mood):
        step = (tick + self.ident) % 5
        if step == 0:
            self.memory["last"] = self.radio.receive()
        elif step == 1:
            self.radio.send((self.ident, tick, mood))
        elif step == 2:
            spindle.sleep(1 + self.ident % 3)
        elif step == 3:
            self.memory["last"] = self.news.receive()
        else:
            spindle.next_frame()
        self.pos[0] = target[0]
        return step


def live(agent):
    tick = 0
    distance = 0.0
    seen = []
    while agent.health > 0:
        distance += agent.think(tick) * 0.5
        tick += 1
        agent.memory["seen"] += 1
        if len(seen) < 3:
            seen.append(tick)


news = stackless.channel()
radios = [stackless.channel() for _ in range((COUNT + GROUP - 1) // GROUP)]
agents = []
for i in range(COUNT):
    agent = Agent(i, radios[i // GROUP], news)
    agents.append((agent, stackless.tasklet(live)(agent)))
