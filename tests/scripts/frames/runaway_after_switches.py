# The dispatch loop resumes one script tasklet after another in place (a
# channel handoff, schedule()), carrying its instruction budget over. An agent
# that then spins without waiting must still be caught by the runaway limit
# (.args: --runaway, no time slice), however many switches came before it.
import stackless

ch = stackless.channel()


def ping():
    for i in range(1000):
        ch.send(i)
    stackless.schedule()
    try:
        while True:
            pass
    except RuntimeError as e:
        print("ping caught:", e)


def pong():
    total = 0
    for i in range(1000):
        total += ch.receive()
    print("pong received", total)


stackless.tasklet(ping)()
stackless.tasklet(pong)()
stackless.run()
print("main goes on")
