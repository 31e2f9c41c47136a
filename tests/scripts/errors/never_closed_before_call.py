print('a'
print('b')
