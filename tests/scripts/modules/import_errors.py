try:
    import unknown_module_xyz
except ModuleNotFoundError as e:
    print(type(e).__name__, e, isinstance(e, ImportError))
try:
    from also_missing import thing
except ImportError as e:
    print(type(e).__name__, e)
import nonexistent_module
print("not reached")
