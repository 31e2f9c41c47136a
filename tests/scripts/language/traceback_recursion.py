# A traceback prints a run of identical lines (a recursion) three times,
# then how many more there were.
def countdown(n):
    if n == 0:
        return {}["end"]
    return countdown(n - 1)
def ping(n):
    return pong(n)
def pong(n):
    if n == 0:
        raise ValueError("done")
    return ping(n - 1)
try:
    ping(10)
except ValueError as e:
    print(e)
countdown(50)
