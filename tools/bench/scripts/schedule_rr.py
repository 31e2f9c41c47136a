# 1,000 tasklets x 2,000 rounds of stackless.schedule().
import stackless

TASKLETS = 1000
ROUNDS = 2000
counter = [0]

def worker(n, c):
    for i in range(n):
        c[0] += 1
        stackless.schedule()

for i in range(TASKLETS):
    stackless.tasklet(worker)(ROUNDS, counter)
stackless.run()
print("switch rounds:", counter[0])
