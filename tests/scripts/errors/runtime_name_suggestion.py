# CPython 3.11 ends the traceback with a "Did you mean" hint: locals first.
def spawn(count):
    spawned = []
    for i in range(count):
        spawned.append(i)
    return spawnd


print(spawn(2) if False else "spawning")
spawn(3)
