# The main tasklet held in script values (a global, a list, an attribute, a
# tasklet's argument): a save keeps the references, and a load makes them
# the loaded game's main tasklet.
import spindle
import stackless

main = stackless.getcurrent()
known = [stackless.main, "other"]


class Board:
    def __init__(self):
        self.owner = main


board = Board()
mailbox = stackless.channel()


def agent(name, boss):
    while True:
        print(spindle.frame(), name, boss is main, known[0] is stackless.main, board.owner is stackless.getmain(),
              boss.is_main, boss.alive, boss.paused, boss.scheduled)
        spindle.next_frame()


def courier():
    while True:
        mailbox.send(main)
        spindle.next_frame()


def reader():
    while True:
        got = mailbox.receive()
        print(spindle.frame(), "reader", got is stackless.main, got is main)
        spindle.next_frame()


stackless.tasklet(agent)("a", main)
stackless.tasklet(courier)()
stackless.tasklet(reader)()
