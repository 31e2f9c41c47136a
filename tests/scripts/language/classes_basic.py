# Classes: attributes, methods, class attributes, inheritance, super(), isinstance, special names.
class Animal:
    kingdom = "animalia"
    count = 0
    def __init__(self, name, sound="..."):
        self.name = name
        self.sound = sound
        Animal.count += 1
    def speak(self):
        return "%s says %s" % (self.name, self.sound)
    def describe(self):
        return "%s (%s)" % (self.speak(), self.kingdom)
class Dog(Animal):
    kingdom = "canis"
    def __init__(self, name, tricks=None):
        super().__init__(name, "woof")
        self.tricks = tricks or []
    def speak(self):
        return super().speak() + "!"
    def add_trick(self, trick):
        self.tricks.append(trick)
        return self
class Puppy(Dog):
    def speak(self):
        return "tiny " + super().speak()
a = Animal("generic")
d = Dog("rex")
p = Puppy("bit", ["sit"])
d.add_trick("roll").add_trick("beg")
print(a.speak(), "|", d.speak(), "|", p.speak())
print(a.describe(), "|", d.describe(), "|", p.describe())
print(d.tricks, p.tricks, Animal.count, Dog.count, d.count, Dog.kingdom, Animal.kingdom)
print(isinstance(p, Dog), isinstance(p, Animal), isinstance(d, Puppy), issubclass(Puppy, Animal), issubclass(Animal, Dog))
print(type(p).__name__, type(p) is Puppy, Puppy.__bases__, Dog.__base__ if False else Dog.__bases__[0].__name__)
print(Animal.__name__, Puppy.__qualname__, p.__class__.__name__, Animal.__module__)
a.name = "renamed"
a.extra = 42
print(a.name, a.extra, hasattr(a, "extra"), hasattr(a, "missing"), getattr(a, "missing", "default"))
setattr(a, "dynamic", [1])
print(a.dynamic, getattr(a, "dynamic"))
delattr(a, "dynamic")
del a.extra
print(hasattr(a, "dynamic"), hasattr(a, "extra"))
print(Animal.speak(d), Dog.speak(p))
method = d.speak
print(method())
Animal.kingdom = "changed"
print(a.kingdom, d.kingdom, Puppy.kingdom)
class Counter:
    instances = []
    def __init__(self):
        Counter.instances.append(self)
        self.value = 0
    def increment(self, by=1):
        self.value += by
        return self.value
c1, c2 = Counter(), Counter()
c1.increment(); c1.increment(5); c2.increment()
print(c1.value, c2.value, len(Counter.instances))
class WithClassLevelCode:
    squares = [i * i for i in range(4)]
    lookup = {name: len(name) for name in ["ab", "cde"]}
print(WithClassLevelCode.squares, WithClassLevelCode.lookup)
class Base:
    def template(self):
        return "Base.template -> " + self.hook()
    def hook(self):
        return "Base.hook"
class Derived(Base):
    def hook(self):
        return "Derived.hook"
print(Base().template(), "|", Derived().template())
for bad in [lambda: a.nothing, lambda: Animal.nothing, lambda: Animal(), lambda: Dog("x", [], 3), lambda: a.speak(1)]:
    try:
        bad()
    except (AttributeError, TypeError) as e:
        print(type(e).__name__, e)
