# An error raised by an operation inside an except clause is chained to the
# exception being handled (__context__), as a raise statement's is.
def lookup():
    try:
        return {}["missing"]
    except KeyError:
        return [][1]
try:
    lookup()
except IndexError as e:
    print(repr(e), repr(e.__context__), e.__cause__, e.__suppress_context__)
try:
    try:
        1 / 0
    except ZeroDivisionError as first:
        try:
            int("x")
        except ValueError as second:
            print(repr(second.__context__))
            raise
except ValueError as e:
    print(repr(e.__context__))
try:
    1 / 0
except ZeroDivisionError:
    pass
try:
    [].pop()
except IndexError as e:
    print(e.__context__)
print("then")
try:
    "a" + 1
except TypeError:
    {}.popitem()
