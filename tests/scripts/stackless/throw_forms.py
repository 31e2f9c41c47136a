# throw/send_throw take raise-style arguments (a class with an optional
# value, a tuple value spreading into args, or an instance alone);
# send_exception/raise_exception take a class only. Stackless's messages.
import stackless

ch = stackless.channel()
def rx():
    while True:
        try:
            print("rx got", ch.receive())
        except BaseException as e:
            print("rx exc", type(e).__name__, e.args)
stackless.tasklet(rx)()
stackless.run()

def tryit(label, fn, *args):
    try:
        fn(*args)
        print(label, "ok")
    except BaseException as e:
        print(label, type(e).__name__, e)

tryit("se int", ch.send_exception, int)
tryit("se 5", ch.send_exception, 5)
tryit("se inst", ch.send_exception, ValueError("inst"))
tryit("se cls args", ch.send_exception, KeyError, 1, 2)
tryit("se none", ch.send_exception)
tryit("st int", ch.send_throw, int)
tryit("st 5", ch.send_throw, 5)
tryit("st cls", ch.send_throw, KeyError)
tryit("st cls val", ch.send_throw, KeyError, "v")
tryit("st cls tuple", ch.send_throw, KeyError, ("v", 2))
tryit("st cls inst", ch.send_throw, KeyError, KeyError("same"))
tryit("st inst", ch.send_throw, KeyError("a"))
tryit("st inst val", ch.send_throw, KeyError("a"), "v")
tryit("st none", ch.send_throw, None)

def sl():
    while True:
        try:
            stackless.schedule_remove()
        except BaseException as e:
            print("sl exc", type(e).__name__, e.args)
t = stackless.tasklet(sl)()
stackless.run()
tryit("th int", t.throw, int)
tryit("th 2.5", t.throw, 2.5)
tryit("th cls val", t.throw, KeyError, "v")
tryit("th cls tuple", t.throw, KeyError, ("v", 2))
tryit("th inst", t.throw, IndexError("i"))
tryit("th inst val", t.throw, KeyError("a"), "v")
tryit("th none", t.throw)
tryit("re int", t.raise_exception, int)
tryit("re 5", t.raise_exception, 5)
tryit("re inst", t.raise_exception, KeyError("a"))
tryit("re cls tuple", t.raise_exception, KeyError, ("v", 2))
tryit("re none", t.raise_exception)
tryit("kill", t.kill)
print(t.alive)
