# Atomic sections under a tight time slice: the counters inside them are
# never interleaved, and a preemption due inside waits for the section's end.
import spindle
import stackless

shared = []


def writer(tag):
    for round_no in range(6):
        with stackless.atomic():
            start = len(shared)
            for i in range(6):
                shared.append((tag, round_no, i))
            assert shared[start:] == [(tag, round_no, i) for i in range(6)]
        print(spindle.frame(), tag, round_no, len(shared))
        spindle.next_frame()


for tag in "xyz":
    stackless.tasklet(writer)(tag)
