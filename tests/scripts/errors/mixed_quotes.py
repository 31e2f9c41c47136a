s = "abc'
