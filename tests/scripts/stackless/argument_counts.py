# Wrong argument counts get the wording Stackless's C functions get from
# CPython; switch_trap's delta is optional (0 reads the trap level).
import stackless

c = stackless.channel()
t = stackless.tasklet()
calls = [
    ("send()", lambda: c.send()),
    ("send(1, 2)", lambda: c.send(1, 2)),
    ("receive(1)", lambda: c.receive(1)),
    ("getruncount(1)", lambda: stackless.getruncount(1)),
    ("getcurrent(1)", lambda: stackless.getcurrent(1)),
    ("getmain(1)", lambda: stackless.getmain(1)),
    ("kill(1, 2)", lambda: t.kill(1, 2)),
    ("insert(1)", lambda: t.insert(1)),
    ("remove(1)", lambda: t.remove(1)),
    ("close(1)", lambda: c.close(1)),
    ("open(1)", lambda: c.open(1)),
    ("schedule(1, 2)", lambda: stackless.schedule(1, 2)),
    ("schedule_remove(1, 2)", lambda: stackless.schedule_remove(1, 2)),
    ("set_atomic()", lambda: t.set_atomic()),
    ("set_ignore_nesting(1, 2)", lambda: t.set_ignore_nesting(1, 2)),
    ("get_schedule_callback(1)", lambda: stackless.get_schedule_callback(1)),
]
for text, call in calls:
    try:
        call()
        print(text, "ok")
    except TypeError as e:
        print(text, "TypeError:", e)
print(stackless.switch_trap(), stackless.switch_trap(2), stackless.switch_trap(), stackless.switch_trap(-2))
