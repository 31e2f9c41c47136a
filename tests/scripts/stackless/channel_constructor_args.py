# stackless.channel ignores constructor arguments (in __new__ and __init__);
# send_exception(None) is a TypeError that leaves the receiver blocked.
import stackless
c = stackless.channel()
for args in [(), (1,), (1, 2)]:
    try:
        c.__init__(*args)
        print("init", args, "ok")
    except TypeError as e:
        print("init", args, e)
try:
    c.__init__(x=1)
    print("init kw ok")
except TypeError as e:
    print("init kw", e)
class C(stackless.channel):
    pass
d = C(5, y=2)
print(type(d).__name__, d.balance)
c = stackless.channel(1, 2, x=3)  # arguments are ignored, as in Stackless
print(type(c).__name__, c.balance)
def f():
    try:
        c.receive()
    except Exception as e:
        print("got", type(e).__name__, e.args)
    except BaseException as e:
        print("base", type(e).__name__)
stackless.tasklet(f)()
stackless.schedule()
try:
    c.send_exception(None)
except Exception as e:
    print("send_exception(None):", type(e).__name__, e)
stackless.run()
print("alive", c.balance)
