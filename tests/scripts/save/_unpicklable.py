# Used by run_save_cli_test.cmake: a world holding a value no save can hold.
import spindle
import stackless

class Seq:
    pass


# A bound super object: no pickle holds one.
table = {"cursor": [1, super(Seq, Seq())]}


def idle():
    while True:
        spindle.next_frame()


stackless.tasklet(idle)()
