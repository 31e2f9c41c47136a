# with: __enter__/__exit__, the bound value, exceptions passed to __exit__, suppression, nesting.
class Resource:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None, exc, tb is None if exc is None else "tb")
        return self.suppress
with Resource("a") as value:
    print("body with", value)
with Resource("b"):
    print("body without as")
try:
    with Resource("c"):
        raise ValueError("boom")
except ValueError as e:
    print("propagated:", e)
with Resource("d", suppress=True):
    raise KeyError("swallowed")
print("after suppressed")
with Resource("outer") as o, Resource("inner") as i:
    print("nested body", o, i)
def early_return():
    with Resource("ret"):
        return "returned"
print(early_return())
for n in range(3):
    with Resource("loop%d" % n):
        if n == 1:
            continue
        if n == 2:
            break
        print("loop body", n)
class Transaction:
    def __init__(self, log):
        self.log = log
    def __enter__(self):
        self.log.append("begin")
        return self
    def __exit__(self, kind, value, tb):
        self.log.append("rollback" if kind else "commit")
        return False
log = []
with Transaction(log):
    log.append("work")
try:
    with Transaction(log) as t:
        log.append("more work")
        1 / 0
except ZeroDivisionError:
    log.append("handled")
print(log, t.log is log)
class Opens:
    def __enter__(self):
        raise RuntimeError("enter failed")
    def __exit__(self, *args):
        print("never")
try:
    with Opens():
        print("never")
except RuntimeError as e:
    print("RuntimeError:", e)
class ExitRaises:
    def __enter__(self):
        return self
    def __exit__(self, *args):
        raise TypeError("from exit")
try:
    with ExitRaises():
        raise ValueError("original")
except TypeError as e:
    print("TypeError:", e, "| context:", repr(e.__context__))
try:
    with 5:
        pass
except (TypeError, AttributeError) as e:
    print(type(e).__name__, e)
