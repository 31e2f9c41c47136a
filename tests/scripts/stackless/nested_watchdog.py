# The run(100) watchdog does not interrupt a tasklet inside a call from C++
# (a long key= function) unless ignore_nesting is set on the run or the
# tasklet; interrupted there, it is not restorable and resumes in place.
import stackless
depth = [0]
done = []
def slow(x):
    depth[0] += 1
    n = 0
    for i in range(3000):
        n += i
    depth[0] -= 1
    return -x
def worker():
    r = sorted(range(4), key=slow)
    done.append(r)
    n = 0
    for i in range(100000):
        n += 1
    done.append("loop")

for ignore in (False, True):
    depth[0] = 0
    del done[:]
    t = stackless.tasklet(worker)()
    victim = stackless.run(100, ignore_nesting=ignore)
    print("ignore_nesting", ignore, "victim is t:", victim is t, "inside key:", depth[0], "loop done:", "loop" in done)
    print("  nesting_level", t.nesting_level, "restorable", t.restorable, "paused", t.paused)
    t.insert()
    stackless.run()
    print("  finished:", done, t.alive)

# the tasklet's own flag
depth[0] = 0
del done[:]
t = stackless.tasklet(worker)()
t.set_ignore_nesting(True)
victim = stackless.run(100)
print("tasklet flag: inside key:", depth[0], "restorable", t.restorable)
t.kill()
print("killed", t.alive, depth[0])
