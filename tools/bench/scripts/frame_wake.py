# Frame-waiting agents: COUNT tasklets that each wait for the next frame,
# forever. tools/bench/compare runs it for two frame counts and divides the
# difference in time by the extra tasklet-frames: the cost of waking a
# frame-waiting tasklet and parking it again. Spindle only (`spindle` module).
import spindle
import stackless

COUNT = 10000


def agent():
    while True:
        spindle.next_frame()


for i in range(COUNT):
    stackless.tasklet(agent)()
print("agents:", COUNT)
