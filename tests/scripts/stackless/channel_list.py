# A channel is its own iterator for list() and sorted(), not only for a
# for loop: a closed, drained channel gives an empty list. (Items that need
# a receive inside list() are a known gap: Spindle cannot switch tasklets
# under a nested C++ call.)
import stackless

ch = stackless.channel()
def feed(items):
    for x in items:
        ch.send(x)
    ch.close()
ch.preference = 1
def drain():
    for v in ch:
        print("for", v)
    print("loop ended")
stackless.tasklet(drain)()
stackless.tasklet(feed)([3, 1, 2])
stackless.run()
print(list(ch), sorted(ch), ch.closed, iter(ch) is ch)
try:
    next(ch)
except StopIteration as e:
    print("StopIteration", e.args)
ch.open()
print(ch.closed, ch.closing)
