# Two errors: only the first one in this file is reported (CPython's choice:
# the bytes literal below is valid Python, the missing colon is not).
if len("x") > 0
    z = b'bytes'
