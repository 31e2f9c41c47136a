def check(hp):
    assert hp >= 0, f"hp went negative: {hp}"
    return hp


print(check(5))
check(-2)
