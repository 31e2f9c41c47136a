# A tasklet's tempval through its life and through pickle, as in Stackless:
# bound but not set up, it holds the function (and so does its copy); set
# up, nothing; paused by schedule_remove(), the tasklet itself (the value
# schedule() returns); set by the script, that value.
import pickle
import stackless


def worker(a=1):
    stackless.schedule_remove()
    return a


bound = stackless.tasklet(worker)
print("bound", bound.tempval is worker, bound.alive)
copy = pickle.loads(pickle.dumps(bound))
print("bound copy", copy.tempval is worker, copy.alive)
copy.bind(worker, (5,))
print("bound with args", copy.tempval is worker, copy.tempval, copy.alive)
ready = stackless.tasklet(worker)(3)
print("set up", ready.tempval)
print("set up copy", pickle.loads(pickle.dumps(ready)).tempval)
stackless.run()
print("paused", ready.tempval is ready)
paused_copy = pickle.loads(pickle.dumps(ready))
print("paused copy", paused_copy.tempval is paused_copy, paused_copy.alive)
ready.tempval = 42
print("set", pickle.loads(pickle.dumps(ready)).tempval)
empty = stackless.tasklet()
print("unbound", empty.tempval, pickle.loads(pickle.dumps(empty)).tempval)
bound.tempval = "mine"
print("bound then set", bound.tempval)
