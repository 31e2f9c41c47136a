# A paused tasklet that nothing can reach any more is freed by the garbage
# collector with its frames, as Stackless frees a soft-switched tasklet: its
# finally blocks do not run. Each worker here pauses holding a 64 KiB list
# and a reference to itself (schedule_remove() hands a tasklet itself by
# default), so if they were kept, 2,000 of them would far exceed the memory
# cap this test runs with (.args) and end in MemoryError.
import stackless

log = []


def worker(n, me):
    payload = list(range(4096))
    try:
        stackless.schedule_remove()
    finally:
        log.append(n)


for n in range(2000):
    t = stackless.tasklet(worker)
    t(n, t)
    t.run()
t = None
print("paused and dropped:", 2000, "finally blocks run:", len(log))
kept = stackless.tasklet(worker)
kept(-1, None)
kept.run()
for i in range(200000):
    junk = [i]
print("a referenced one lives on:", kept.alive, kept.paused, log)
kept.kill()
print("killed:", kept.alive, log)
