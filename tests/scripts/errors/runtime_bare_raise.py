class Stop(Exception):
    pass


print("before")
raise Stop
