# Reference for spindle-bench-save: the world of save_agents.py (beside this
# file), pickled and unpickled by Stackless 3.7's own pickle, which saves
# running tasklets. Stackless has no frame clock, so the `spindle` module is
# a stand-in whose next_frame() and sleep(n) call stackless.schedule_remove():
# such an agent is left paused mid-function, as a waiting Spindle agent is.
# Usage (Stackless 3.7): python save_agents_ref.py COUNT RUNS
import os
import pickle
import sys
import time
import types

import stackless

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5


def next_frame():
    stackless.schedule_remove()


def sleep(frames):
    stackless.schedule_remove()


stand_in = types.ModuleType("spindle")
stand_in.next_frame = next_frame
stand_in.sleep = sleep
sys.modules["spindle"] = stand_in

world_file = os.path.join(os.path.dirname(os.path.abspath(__file__)), "save_agents.py")
with open(world_file) as f:
    source = f.read().replace("\nCOUNT = 1000\n", "\nCOUNT = %d\n" % COUNT)
exec(compile(source, world_file, "exec"), globals())
stackless.run()  # until every agent waits: blocked on a channel or paused

world = (news, radios, agents)  # noqa: F821 (made by save_agents.py)
saves, loads, size = [], [], 0
for _ in range(RUNS):
    t0 = time.process_time()
    data = pickle.dumps(world, protocol=4)
    t1 = time.process_time()
    pickle.loads(data)
    t2 = time.process_time()
    saves.append((t1 - t0) * 1000)
    loads.append((t2 - t1) * 1000)
    size = len(data)
saves.sort()
loads.sort()
print("%d agents: save %.2f ms, load %.2f ms (CPU, medians of %d), %d B raw, %.1f B/agent"
      % (COUNT, saves[len(saves) // 2], loads[len(loads) // 2], RUNS, size, size / COUNT))
