# A class with its own __new__ pickles as in Stackless: protocols 2 and up
# remake it through __new__ with __getnewargs__, a __reduce__ through the
# class call (which runs __new__), so identity kept by __new__ survives.
import pickle


class Money:
    def __new__(cls, amount, currency="EUR"):
        self = super().__new__(cls)
        self.amount = amount
        self.currency = currency
        print("Money.__new__", amount, currency)
        return self

    def __getnewargs__(self):
        return (self.amount, self.currency)


m = Money(5, "USD")
for proto in (0, 1, 2, 3, 4):
    try:
        back = pickle.loads(pickle.dumps(m, proto))
        print(proto, type(back).__name__, back.amount, back.currency)
    except Exception as e:
        print(proto, type(e).__name__, e)


class Interned:
    table = {}

    def __new__(cls, key):
        if key not in cls.table:
            self = super().__new__(cls)
            self.key = key
            cls.table[key] = self
        return cls.table[key]

    def __reduce__(self):
        return (Interned, (self.key,))


x = Interned("a")
y = pickle.loads(pickle.dumps([x, x]))
print(y[0] is y[1], y[0] is x, y[0].key)
