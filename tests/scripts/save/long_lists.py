# Long lists of tasklets, as a game keeps its agents: (agent, tasklet)
# pairs, lists of such lists, and tasklets in every state (not yet run,
# runnable, sleeping, blocked sending and receiving, finished). The writer
# looks ahead through long lists to fetch their tasklets' stacks early, in
# windows of a few hundred items: these cross window borders and nest.
import spindle
import stackless

radio = stackless.channel()
totals = {"sent": 0, "heard": 0, "done": 0}


class Agent:
    def __init__(self, ident):
        self.ident = ident
        self.steps = 0


def live(agent):
    kind = agent.ident % 5
    while agent.steps < 3 + agent.ident % 4:
        agent.steps += 1
        if kind == 0:
            radio.send(agent.ident)
            totals["sent"] += 1
        elif kind == 1:
            heard = radio.receive()
            totals["heard"] += heard % 7
        elif kind == 2:
            spindle.sleep(1 + agent.ident % 3)
        else:
            spindle.next_frame()
    totals["done"] += 1


pairs = []
for i in range(700):
    agent = Agent(i)
    pairs.append((agent, stackless.tasklet(live)(agent)))
# Lists of lists: each inner list long enough to be walked ahead too.
squads = [[pairs[(s * 37 + k) % len(pairs)] for k in range(20)] for s in range(30)]
numbers = list(range(300))
unstarted = [stackless.tasklet(live) for _ in range(20)]


def report():
    while True:
        alive = len([t for _, t in pairs if t.alive])
        steps = sum([a.steps for a, _ in pairs])
        print(spindle.frame(), alive, steps, sorted(totals.items()), len(squads[3]), numbers[-1], len(unstarted))
        spindle.next_frame()


stackless.tasklet(report)()
