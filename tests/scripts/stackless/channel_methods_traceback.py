# An exception raised through a channel's send_sequence() (or its iteration)
# shows the script's frames only, as in Stackless, where those methods are
# C code: the runtime's own script frames stay out of the traceback.
import stackless

ch = stackless.channel()


class Faulty:
    def __init__(self):
        self.left = 2

    def __iter__(self):
        return self

    def __next__(self):
        if self.left == 0:
            raise KeyError("no more")
        self.left -= 1
        return self.left


def receiver():
    while True:
        print("received", ch.receive())


stackless.tasklet(receiver)()
stackless.run()
try:
    ch.send_sequence(Faulty())
except KeyError as e:
    print("caught", e)
ch.send_sequence(Faulty())
