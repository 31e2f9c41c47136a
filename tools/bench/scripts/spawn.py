# 100,000 tasklet spawns, each running a tiny function to completion.
import stackless

COUNT = 100000
total = [0]

def worker(i, acc):
    acc[0] += i

for i in range(COUNT):
    stackless.tasklet(worker)(i, total)
stackless.run()
print("spawned:", COUNT, "sum:", total[0])
