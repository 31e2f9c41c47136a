first, *middle, *last = [1, 2, 3]
