import Injector
print("probe")
