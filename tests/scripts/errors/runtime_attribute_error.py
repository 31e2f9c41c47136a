class Agent:
    def __init__(self):
        self.position = (0, 0)


a = Agent()
print(a.position)
print(a.velocity)
