def quit_game(reason):
    raise SystemExit(reason)


print("bye")
quit_game("game over: the castle fell")
