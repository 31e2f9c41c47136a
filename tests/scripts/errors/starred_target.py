first, *rest = [1, 2, 3]
*alone = rest
