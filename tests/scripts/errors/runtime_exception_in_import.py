print("importing")
import _raising_module
print("not reached")
