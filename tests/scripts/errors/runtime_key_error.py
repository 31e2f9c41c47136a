scores = {"ada": 3}
print(scores["ada"])
print(scores["bob"])
