# Used by run_save_cli_test.cmake: a world holding a value no save can hold.
import spindle
import stackless

class Seq:
    def __getitem__(self, i):
        return i


# An iterator over __getitem__ (iter(Seq())) is the one kind no pickle holds.
table = {"cursor": [1, iter(Seq())]}


def idle():
    while True:
        spindle.next_frame()


stackless.tasklet(idle)()
