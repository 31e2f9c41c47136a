# Imported by runtime_exception_in_import.py: fails while it is imported.
print("module body starts")
settings = {"speed": 1}
speed = settings["sped"]
