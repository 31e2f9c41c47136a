bases = ()
class A(*bases):
    pass
