# A dunder run by the VM appears in the traceback as its own frame.
# (The expected stderr is CPython 3.11's without its ~~^^ marker lines: Spindle prints none.)
class Grid:
    def __getitem__(self, key):
        return self.cell(key)
    def cell(self, key):
        raise LookupError("no cell " + str(key))

class Name:
    def __str__(self):
        return self.text()
    def text(self):
        raise ValueError("no text")

try:
    print(Name())
except ValueError as e:
    print("caught", e)
grid = Grid()
grid[3]
