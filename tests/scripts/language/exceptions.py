# try/except/else/finally, raise, raise from, re-raise, exception hierarchy, args, custom exceptions.
def attempt(action):
    log = []
    try:
        log.append("try")
        action()
        log.append("no error")
    except ZeroDivisionError as e:
        log.append("zero: %s" % e)
    except (KeyError, IndexError) as e:
        log.append("lookup %s: %r" % (type(e).__name__, e.args))
    except Exception as e:
        log.append("other %s: %s" % (type(e).__name__, e))
    else:
        log.append("else")
    finally:
        log.append("finally")
    return log
print(attempt(lambda: 1 / 0))
print(attempt(lambda: {}["k"]))
print(attempt(lambda: [][1]))
print(attempt(lambda: int("x")))
print(attempt(lambda: None))
class AppError(Exception):
    pass
class NotFound(AppError):
    def __init__(self, name):
        super().__init__("not found: " + name)
        self.name = name
class Detailed(Exception):
    def __init__(self, code, text):
        self.code = code
        self.text = text
    def __str__(self):
        return "[%d] %s" % (self.code, self.text)
for exc in [NotFound("file.txt"), AppError("plain"), Detailed(404, "missing"), ValueError(), KeyError("key"), Exception(1, 2)]:
    try:
        raise exc
    except AppError as e:
        print("AppError branch:", type(e).__name__, e, e.args, isinstance(e, Exception))
    except Exception as e:
        print("Exception branch:", type(e).__name__, str(e), repr(e), e.args)
try:
    raise NotFound
except TypeError as e:
    print("TypeError:", e)
try:
    try:
        raise KeyError("inner")
    except KeyError as e:
        raise RuntimeError("outer") from e
except RuntimeError as e:
    print(e, "| cause:", repr(e.__cause__), "| context:", repr(e.__context__), e.__suppress_context__ if False else "")
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("during handling")
except ValueError as e:
    print(e, "| context:", type(e.__context__).__name__, "| cause:", e.__cause__)
try:
    try:
        raise IndexError("first")
    except IndexError:
        raise
except IndexError as e:
    print("re-raised:", e)
try:
    raise ValueError("x") from None
except ValueError as e:
    print("from None:", e.__cause__, e.__suppress_context__)
def cleanup_order():
    events = []
    try:
        try:
            events.append("inner try")
            raise KeyError("k")
        finally:
            events.append("inner finally")
    except KeyError:
        events.append("outer except")
    finally:
        events.append("outer finally")
    return events
print(cleanup_order())
def finally_return():
    try:
        return "from try"
    finally:
        print("finally runs before return")
print(finally_return())
def finally_overrides():
    try:
        raise ValueError("lost")
    finally:
        return "finally wins"
print(finally_overrides())
def loop_with_finally():
    out = []
    for i in range(4):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            out.append(i)
        finally:
            out.append("f%d" % i)
    return out
print(loop_with_finally())
print(issubclass(ZeroDivisionError, ArithmeticError), issubclass(KeyError, LookupError), issubclass(StopIteration, Exception))
print(issubclass(KeyboardInterrupt, Exception), issubclass(SystemExit, BaseException), issubclass(RecursionError, RuntimeError))
print(issubclass(UnboundLocalError, NameError), issubclass(NotImplementedError, RuntimeError), issubclass(OverflowError, ArithmeticError))
e = ValueError("a", 2)
print(e.args, str(e), repr(e), str(ValueError()), repr(KeyError("k")), str(KeyError("k")), str(KeyError()))
def deep(n):
    return deep(n + 1)
try:
    deep(0)
except RecursionError as e:
    print("RecursionError caught")
try:
    assert 1 + 1 == 3, "math is broken"
except AssertionError as e:
    print("AssertionError:", e)
try:
    assert False
except AssertionError as e:
    print("bare AssertionError:", repr(e))
