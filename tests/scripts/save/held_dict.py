# An instance whose __dict__ a script holds: once read, `obj.__dict__` is the
# instance's own attribute storage, so writes through either name are seen
# through the other. A save keeps that dict as one object, shared by the
# instance and every variable holding it, including a frame's local.
import spindle
import stackless


class Crate:
    def __init__(self, label):
        self.label = label
        self.count = 0


crate = Crate("apples")
ledger = crate.__dict__
plain = Crate("pears")


def keeper(box):
    attrs = box.__dict__
    while True:
        attrs["count"] += 1
        box.count += 10
        ledger["note"] = "seen %d" % box.count
        print(spindle.frame(), box.count, attrs is box.__dict__, ledger is crate.__dict__, sorted(attrs))
        spindle.next_frame()


def counter(box):
    while True:
        box.count += 1
        print(spindle.frame(), box.label, box.count)
        spindle.next_frame()


stackless.tasklet(keeper)(crate)
stackless.tasklet(counter)(plain)
