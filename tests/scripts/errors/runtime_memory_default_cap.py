# Without --max-memory the interpreter still has a cap (1 GiB): a list of
# 200 million slots (3.2 GB) is refused with MemoryError before anything is
# allocated, and the script can go on.
try:
    big = [0] * (200 * 1024 * 1024)
except MemoryError:
    print("refused")
small = [0] * 1000
print(len(small))
big = [0] * (200 * 1024 * 1024)
