# Preemption mid-expression: a small time slice and frame budget cut the
# workers inside their arithmetic, comprehensions and calls.
import spindle
import stackless


def mix(a, b):
    return (a * 31 + b * 17) % 1009


def worker(name, seed):
    acc = seed
    n = 0
    while n < 12:
        acc = mix(acc, n) + sum([mix(i, acc) for i in range(5)]) - (acc // 3) * 2
        n += 1
        if n % 3 == 0:
            print(spindle.frame(), name, n, acc)
    print("worker", name, "done", acc)


for i, name in enumerate(["w1", "w2", "w3"]):
    stackless.tasklet(worker)(name, i * 100 + 1)
