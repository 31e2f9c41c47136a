# A tasklet pickled at every pause of a body with an except clause, a with
# block and a finally block: each copy, run later, finishes the body from
# where it was copied (handled exception, __exit__, finally included).
import pickle
import stackless


class Ctx:
    def __enter__(self):
        print("enter")
        return self

    def __exit__(self, kind, value, tb):
        print("exit", kind is None)
        return False


def body(tag):
    try:
        raise ValueError("v")
    except ValueError as e:
        stackless.schedule()
        print(tag, "in except", repr(e))
    with Ctx():
        stackless.schedule()
        print(tag, "in with")
    try:
        stackless.schedule()
        print(tag, "in try")
    finally:
        print(tag, "finally")
        stackless.schedule()
        print(tag, "after schedule in finally")
    print(tag, "end")


t = stackless.tasklet(body)("orig")
copies = []
stackless.schedule()
while t.alive:
    copies.append(pickle.loads(pickle.dumps(t)))
    stackless.schedule()
print("original done", len(copies))
for k, c in enumerate(copies):
    print("copy", k, c.alive, c.paused)
    c.insert()
    stackless.run()
