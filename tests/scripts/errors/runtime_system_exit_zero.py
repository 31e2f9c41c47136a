try:
    raise SystemExit
finally:
    print("cleanup runs")
