# hypot, dist and fsum must round exactly as CPython 3.11 does: compare many
# pseudo-random vectors (a 32-bit LCG, so both interpreters draw the same).
import math
state = 12345
def rnd():
    global state
    state = (state * 1103515245 + 12345) % 2147483648
    return state >> 4
def rfloat():
    m = (rnd() * 134217728 + rnd()) / 36028797018963968.0
    e = rnd() % 40 - 20
    s = -1 if rnd() % 2 else 1
    return s * m * 10.0 ** e
out = []
for i in range(300):
    n = 2 + rnd() % 5
    v = [rfloat() for _ in range(n)]
    out.append(math.hypot(*v))
    w = [rfloat() for _ in range(n)]
    out.append(math.dist(v, w))
    out.append(math.fsum(v + w + [x * 1e10 for x in v]))
for i in range(0, len(out), 3):
    print(out[i], out[i+1], out[i+2])
