# An imported script module, closures, lambdas and a local function with
# live frames: all saved by content, and the module body never runs again.
import spindle
import stackless
import _save_helper as helper

print("module body runs once")
counter = helper.Counter(10)
double = helper.make_scaler(2)
stackless.tasklet(helper.tick_forever)(counter, double)


def local_loop(n):
    def show(i):
        print(spindle.frame(), "local", i, helper.registry.get(spindle.frame() - 1))
        spindle.next_frame()
    for i in range(n):
        show(i)


stackless.tasklet(local_loop)(8)
stackless.tasklet(lambda: [print(spindle.frame(), "lambda", spindle.sleep(3)) for _ in range(2)])()
