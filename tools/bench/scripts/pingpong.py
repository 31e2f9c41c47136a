# Channel ping-pong: two tasklets bounce a counter over two channels.
# Runs unchanged on Stackless Python 3.7 and on Spindle.
import stackless

ROUNDS = 2000000

def pinger(out, back, n):
    for i in range(n):
        out.send(i)
        back.receive()

def ponger(inp, back, n):
    for i in range(n):
        v = inp.receive()
        back.send(v + 1)

a = stackless.channel()
b = stackless.channel()
stackless.tasklet(pinger)(a, b, ROUNDS)
stackless.tasklet(ponger)(a, b, ROUNDS)
stackless.run()
print("round trips:", ROUNDS)
