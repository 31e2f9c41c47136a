# A misspelt attribute: the hint comes from dir() of the object.
class Agent:
    def __init__(self, name):
        self.name = name
        self.health = 10

    def take_damage(self, n):
        self.health -= n


a = Agent("scout")
a.take_damage(3)
print(a.health)
a.take_damge(2)
