print("saving")
raise SystemExit(3)
