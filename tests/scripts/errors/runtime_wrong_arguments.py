def move(entity, dx, dy):
    return (dx, dy)


print(move("hero", 1, 2))
move("hero", 1)
