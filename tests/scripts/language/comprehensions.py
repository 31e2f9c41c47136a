# list, dict and set comprehensions: filters, nesting, conditional values, scoping.
nums = list(range(10))
print([n * n for n in nums], [n for n in nums if n % 3 == 0], [n if n % 2 else -n for n in nums])
print([(x, y) for x in range(3) for y in range(x)], [[c * r for c in range(3)] for r in range(3)])
print([x + y for x in "ab" for y in "xy"], [w.upper() for w in "the quick fox".split() if len(w) > 3])
print({n: n ** 2 for n in range(5)}, {v: k for k, v in {"a": 1, "b": 2}.items()}, {c: "abc".index(c) for c in "cab"})
print({n % 4 for n in nums}, {len(w) for w in ["hi", "hey", "yo"]}, sorted({c for c in "mississippi"}))
matrix = [[1, 2, 3], [4, 5, 6]]
print([[row[i] for row in matrix] for i in range(3)], [cell for row in matrix for cell in row if cell != 4])
print([i for i in range(20) if i % 2 if i % 3], [(i, j) for i in range(3) if i for j in range(3) if j != i])
x = "outer"
print([x for x in range(3)], x)
print([[y for y in range(x)] for x in range(4)])
funcs = [lambda k=k: k * 10 for k in range(3)]
print([f() for f in funcs])
print({word: [i for i, c in enumerate(word) if c == "s"] for word in ["sass", "less"]})
words = ["apple", "bob", "kayak", "level", "python"]
print([w for w in words if w == w[::-1]], {w[0]: w for w in words}, sum([len(w) for w in words]))
print([str(i) * i for i in range(1, 4)], "".join([chr(ord("a") + i) for i in range(5)]))
pairs = [(a, b) for a in range(1, 20) for b in range(a, 20) if a * a + b * b in [c * c for c in range(20)]]
print(pairs)
grid = {(r, c): r * 3 + c for r in range(2) for c in range(3)}
print(grid, [grid[(1, c)] for c in range(3)])
print([n for n in [3, 1, 2] if n > 1] == [3, 2], [] == [q for q in []], {k: 1 for k in []}, {s for s in ()})
