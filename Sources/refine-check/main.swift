print("refine-check")
