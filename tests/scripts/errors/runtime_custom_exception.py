class GameError(Exception):
    pass


class InventoryFull(GameError):
    def __init__(self, item, slots):
        super().__init__(f"no room for {item!r} ({slots} slots used)")
        self.item = item


def pick_up(bag, item):
    if len(bag) >= 3:
        raise InventoryFull(item, len(bag))
    bag.append(item)


bag = []
for thing in ["sword", "shield", "potion", "map"]:
    pick_up(bag, thing)
    print("picked up", thing)
