// The script module the pickle fuzzer loads pickles against, shared with
// make_seeds (which pickles its samples and a parked agent tasklet): a
// tasklet pickle names its functions and carries their code, so both sides
// must compile the same source.
#pragma once

inline constexpr const char* kFuzzModule = R"(
import stackless
class Agent:
    def __init__(self, name):
        self.name = name
        self.plan = [1, 2.5, "go", (None, True)]
        self.memory = {"seen": {3, 4}, "self": self}
class Boom(Exception):
    pass
class Worker(stackless.tasklet):
    pass
class Pipe(stackless.channel):
    pass
def think(x):
    return x
def wait(ch, n):
    stackless.schedule()
    return [n]
def agent(name, rounds, ch):
    seen = 0
    for i in range(rounds):
        try:
            plan = [name, *wait(ch, seen)]
            seen += len(plan)
        finally:
            pass
    return ch.receive()
samples = [Agent("a"), Boom("b", 1), think, Agent, range(3), stackless.channel(), iter([1, 2, 3])]
)";
