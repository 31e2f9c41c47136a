for a, *b in [[1, 2]]:
    pass
for *c in [[1, 2]]:
    pass
