# Used by run_save_cli_test.cmake: a world holding a value no save can hold.
import spindle
import stackless

table = {"cursor": [1, iter({1: 2})]}


def idle():
    while True:
        spindle.next_frame()


stackless.tasklet(idle)()
