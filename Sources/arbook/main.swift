print("arbook")
