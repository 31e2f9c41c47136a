# Exceptions in flight across saves: tasklets that sleep inside except and
# finally blocks, re-raise afterwards, and one that dies of an uncaught
# error (its traceback on stderr, the exit status 1).
import spindle
import stackless


class Trouble(Exception):
    pass


def careful(name):
    try:
        try:
            spindle.sleep(2)
            raise Trouble(name, spindle.frame())
        except Trouble as e:
            print(spindle.frame(), name, "caught", e.args)
            spindle.next_frame()
            print(spindle.frame(), name, "still handling", e.args)
            raise
        finally:
            print(spindle.frame(), name, "finally")
            spindle.sleep(2)
            print(spindle.frame(), name, "finally done")
    except Trouble as again:
        print(spindle.frame(), name, "outer caught", again.args)
    spindle.next_frame()
    print(spindle.frame(), name, "ends")


def doomed():
    spindle.sleep(3)
    values = {"a": 1}
    print(spindle.frame(), "doomed looks up b")
    return values["b"]


stackless.tasklet(careful)("one")
stackless.tasklet(careful)("two")
stackless.tasklet(doomed)()
