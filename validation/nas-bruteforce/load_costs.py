"""Load Intarsia's dumped cost tables (out-space-costs.csv) and the NAS-Bench-201 accuracy table
into numpy arrays, cached as an .npz beside the CSV."""
import csv, os, re
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
COSTS = os.path.join(HERE, "out-space-costs.csv")
ACC = os.path.join(HERE, "..", "..", "Sources", "IntarsiaNAS", "Resources", "nb201-accuracy.csv")
CACHE = os.path.join(HERE, "costs-cache.npz")
TASKS = ["cifar10", "cifar100", "imagenet16-120"]
DATAFLOWS = ["nvdla", "shidiannao", "eyeriss", "systolic_os"]
ROWS, COLS, BUFS = [8, 16], [16, 32], [64, 128]
NCELL = 15625

def knob_index(desc):
    """Sub-accelerator description -> knob index (dataflow the low digit, then rows, columns, buffer),
    worked out from the text, not from the file's order."""
    m = re.fullmatch(r"(\w+) (\d+)x(\d+) (\d+)KiB 16B/cycle", desc)
    df, r, c, b = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))
    return DATAFLOWS.index(df) + 4 * ROWS.index(r) + 8 * COLS.index(c) + 16 * BUFS.index(b)

def knobs(k):
    return DATAFLOWS[k % 4], ROWS[(k // 4) % 2], COLS[(k // 8) % 2], BUFS[(k // 16) % 2]

def load():
    if os.path.exists(CACHE) and os.path.getmtime(CACHE) > os.path.getmtime(COSTS):
        z = np.load(CACHE)
        return z["cycles"], z["energy"], z["acc"]
    cycles = np.full((32, 3, NCELL), np.nan)
    energy = np.full((32, 3, NCELL), np.nan)
    with open(COSTS) as f:
        r = csv.reader(f)
        head = next(r)
        assert head == ["task", "architecture_index", "architecture", "sub_accelerator", "cycles", "latency_ms", "dynamic_energy_mj"], head
        for task, idx, arch, sub, cyc, ms, mj in r:
            k, t, i = knob_index(sub), TASKS.index(task), int(idx)
            cycles[k, t, i] = float(cyc)
            energy[k, t, i] = float(mj)
    assert not np.isnan(cycles).any() and not np.isnan(energy).any()
    acc = np.zeros((3, NCELL))
    with open(ACC) as f:
        r = csv.reader(f)
        head = next(r)
        for row in r:
            i = int(row[0])
            acc[:, i] = [float(x) for x in row[2:5]]
    np.savez(CACHE, cycles=cycles, energy=energy, acc=acc)
    return cycles, energy, acc

if __name__ == "__main__":
    c, e, a = load()
    print(c.shape, e.shape, a.shape, a.max(axis=1), a.argmax(axis=1))
