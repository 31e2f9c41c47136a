# A helper module for import_module.py (not a test itself: the leading
# underscore keeps it out of the script-test glob).
print("helper: loading as", __name__)

GREETING = "hello"
counter = 0


def bump(n=1):
    global counter
    counter += n
    return counter


class Vector:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return "Vector(%r, %r)" % (self.x, self.y)


def _private():
    return "private"
