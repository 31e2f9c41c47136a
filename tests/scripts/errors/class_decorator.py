def deco(c):
    return c
@deco
class A:
    pass
