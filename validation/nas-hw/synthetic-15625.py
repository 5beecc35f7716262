# Toy per-cell figures of all 15,625 NAS-Bench-201 cells for timing intarsia nas train-predictor
# (BENCHMARKS.md, "NAS hardware-cost sources"): latency, energy and memory as operator weights
# (made up) with +-5% uniform noise, seed 1. Usage: python3 synthetic-15625.py > synthetic-15625.csv
import itertools, random
ops = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
w = {"none": (0, 0, 0), "skip_connect": (0.1, 0.01, 0), "nor_conv_1x1": (1.0, 0.12, 20), "nor_conv_3x3": (3.0, 0.33, 60), "avg_pool_3x3": (0.4, 0.05, 0)}
rng = random.Random(1)
print("architecture,latency_ms,energy_mj,memory_kb")
for e in itertools.product(ops, repeat=6):
    cell = "|%s~0|+|%s~0|%s~1|+|%s~0|%s~1|%s~2|" % e
    lat = 50 + sum(w[o][0] for o in e) * 100
    en = 1 + sum(w[o][1] for o in e) * 10
    mem = 100 + sum(w[o][2] for o in e)
    print("%s,%.4f,%.4f,%.2f" % (cell, lat * rng.uniform(0.95, 1.05), en * rng.uniform(0.95, 1.05), mem * rng.uniform(0.95, 1.05)))
