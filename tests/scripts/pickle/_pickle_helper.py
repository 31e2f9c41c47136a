# A module the pickle tests import: its classes and functions pickle by
# this module's name.
class Crate:
    def __init__(self, items):
        self.items = items

    def count(self):
        return len(self.items)


def double(x):
    return 2 * x
