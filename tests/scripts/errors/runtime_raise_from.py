def load(table, key):
    try:
        return table[key]
    except KeyError as e:
        raise ValueError(f"unknown level {key}") from e


print(load({"start": 1}, "start"))
load({"start": 1}, "bonus")
