# Instances of script subclasses of stackless.tasklet and stackless.channel
# in a save game: their class and their own attributes are kept (the
# `pickle` module drops the attributes, as Stackless does; a save keeps
# everything), and a subclass tasklet blocked on a subclass channel is
# blocked again at its place.
import spindle
import stackless


class Guard(stackless.tasklet):
    rank = "guard"

    def report(self):
        return "%s %s hp=%d" % (self.rank, self.callsign, self.hp)


class Alarm(stackless.channel):
    def describe(self):
        return "%s(%s) balance %d" % (type(self).__name__, self.zone, self.balance)


alarm = Alarm()
alarm.zone = "north"


def patrol(me, rounds):
    for r in range(rounds):
        me.hp -= 1
        print(spindle.frame(), me.report(), alarm.describe())
        if r % 3 == 2:
            print(spindle.frame(), me.callsign, "heard", alarm.receive())
        else:
            spindle.next_frame()


def siren():
    for k in range(3):
        spindle.sleep(4)
        alarm.send("ring %d" % k)
        print(spindle.frame(), "siren rang", k)


guards = []
for name in ("alpha", "bravo"):
    g = Guard(patrol)
    g.callsign = name
    g.hp = 10 + len(guards)
    g(g, 7)
    guards.append(g)
stackless.tasklet(siren)()
