def update():
    return undefined_helper(3)


update()
