#!/usr/bin/env python3
"""Exact optimum of the NAS spec nb201-three-task-asic by brute force, independent of Intarsia's
solver (no GLPK, no Intarsia code): only Intarsia's dumped cost tables (out-space-costs.csv, from
`intarsia nas spec.yaml --space-costs`) and the NAS-Bench-201 accuracy table are read.

Problem: two sub-accelerators, each a (dataflow, rows, columns, buffer) from the spec's lists
(32 knob combinations per slot, 1024 ordered pairs); PE budget 1024 in total, bandwidth 16+16 <= 32,
area <= area spec; each of the 3 tasks on one of the 2 slots (8 assignments); one cell per task.
Latency = max over slots of the sum of the cycles of its tasks / (1000 MHz) in ms <= latency spec;
energy = sum of the tasks' dynamic energies <= energy spec; maximise the sum of the accuracies.
Each task's cells are first pruned, per sub-accelerator, to those not dominated in
(accuracy up, cycles down, energy down); then every combination of one pruned cell per task is
evaluated for every hardware pair within the budgets and every assignment.

Also: area of each sub-accelerator from the model's formula (Templates.swift areaSquareMillimetres,
Technology.swift 28 nm), and the count of hardware candidates kept by the pairwise dominance check of
SearchAidTests.leftOutHardwareIsDominatedByKeptHardware / CoExploration.undominatedHardware.

usage: bruteforce.py [--latency MS] [--energy MJ] [--area MM2] [--scan]
"""
import argparse, itertools, os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load_costs import load, knobs, TASKS, NCELL

CLOCK_MHZ = 1000.0
PE_BUDGET, BW_BUDGET, BW_SLOT = 1024, 32, 16
SCALE = (28 / 45) ** 2
PE_AREA = 0.018 * SCALE          # mm² per PE (512 B register file included; l1 = 512 B, no extra)
SRAM_AREA = 0.0045 * SCALE       # mm² per KiB
FRONT_CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fronts-cache.npz")


def area(k):
    df, r, c, b = knobs(k)
    # extra L1 = max(0, 512 - 512) = 0; no vector unit
    return r * c * PE_AREA + b * SRAM_AREA


def pes(k):
    _, r, c, _ = knobs(k)
    return r * c


def non_dominated(acc, cyc, en):
    """Indices of the cells no other cell dominates (accuracy >=, cycles <=, energy <=); among exact
    duplicates the first in (cycles, energy, -accuracy, index) order is kept."""
    order = np.lexsort((np.arange(len(acc)), -acc, en, cyc))
    ka, ke, kc, kept = [], [], [], []
    KA = KE = KC = np.empty(0)
    for i in order:
        if len(kept) and np.any((KA >= acc[i]) & (KE <= en[i]) & (KC <= cyc[i])):
            continue
        kept.append(i)
        KA, KE, KC = np.append(KA, acc[i]), np.append(KE, en[i]), np.append(KC, cyc[i])
    return np.array(sorted(kept))


def fronts(C, E, A):
    if os.path.exists(FRONT_CACHE) and os.path.getmtime(FRONT_CACHE) > os.path.getmtime(
            os.path.join(os.path.dirname(os.path.abspath(__file__)), "costs-cache.npz")):
        z = np.load(FRONT_CACHE)
        return {(k, t): z[f"f_{k}_{t}"] for k in range(32) for t in range(3)}
    F = {(k, t): non_dominated(A[t], C[k, t], E[k, t]) for k in range(32) for t in range(3)}
    np.savez(FRONT_CACHE, **{f"f_{k}_{t}": v for (k, t), v in F.items()})
    return F


def hardware_candidates(max_area):
    """Ordered pairs (k0, k1), hardware index k0 + 32*k1 (the first slot is the low digit), that
    break no budget (PE, bandwidth, area)."""
    out = []
    for h in range(32 * 32):
        k0, k1 = h % 32, h // 32
        if pes(k0) + pes(k1) > PE_BUDGET or 2 * BW_SLOT > BW_BUDGET:
            continue
        if area(k0) + area(k1) > max_area:
            continue
        out.append((h, k0, k1))
    return out


ASSIGNMENTS = [[(i >> t) & 1 for t in range(3)] for i in range(8)]  # task t's slot; task 0 low digit


def combos(C, E, A, F, k0, k1, asg):
    """Every combination of one pruned cell per task: (sum accuracy, max slot load, energy, cells)."""
    ks = (k0, k1)
    cells = [F[(ks[asg[t]], t)] for t in range(3)]
    n = [len(c) for c in cells]
    acc = np.zeros(n); en = np.zeros(n); load = [np.zeros(n), np.zeros(n)]
    for t in range(3):
        shape = [1, 1, 1]; shape[t] = n[t]
        k = ks[asg[t]]
        acc = acc + A[t, cells[t]].reshape(shape)
        en = en + E[k, t, cells[t]].reshape(shape)
        load[asg[t]] = load[asg[t]] + C[k, t, cells[t]].reshape(shape)
    return acc.ravel(), np.maximum(load[0], load[1]).ravel(), en.ravel(), cells, n


def solve(C, E, A, F, latency_ms, energy_mj, max_area, verbose=True):
    max_cycles = latency_ms * CLOCK_MHZ * 1e3
    best = None
    ties = []
    hw = hardware_candidates(max_area)
    for h, k0, k1 in hw:
        for ai, asg in enumerate(ASSIGNMENTS):
            acc, load, en, cells, n = combos(C, E, A, F, k0, k1, asg)
            ok = (load <= max_cycles) & (en <= energy_mj)
            if not ok.any():
                continue
            i = np.flatnonzero(ok)[np.argmax(acc[ok])]
            v = acc[i]
            ijk = np.unravel_index(i, n)
            design = dict(value=v, hardware=h, k=(k0, k1), assignment=asg, assignment_index=ai,
                          cells=[int(cells[t][ijk[t]]) for t in range(3)], latency_ms=load[i] / 1e6, energy_mj=en[i])
            if best is None or v > best["value"] + 1e-9:
                best, ties = design, []
            elif abs(v - best["value"]) <= 1e-9:
                ties.append(design)
    return best, ties, hw


def scan(C, E, A, F, max_area, lat_grid, en_grid):
    """Exact optimum on a grid of (latency, energy) specs: for each latency, the best accuracy per
    energy by a running maximum over the combinations sorted by energy."""
    hw = hardware_candidates(max_area)
    best = np.full((len(lat_grid), len(en_grid)), -np.inf)
    for h, k0, k1 in hw:
        for asg in ASSIGNMENTS:
            acc, load, en, _, _ = combos(C, E, A, F, k0, k1, asg)
            for li, L in enumerate(lat_grid):
                m = load <= L * 1e6
                if not m.any():
                    continue
                a, e = acc[m], en[m]
                o = np.argsort(e, kind="stable")
                run = np.maximum.accumulate(a[o])
                j = np.searchsorted(e[o], en_grid, side="right") - 1
                v = np.where(j >= 0, run[np.maximum(j, 0)], -np.inf)
                best[li] = np.maximum(best[li], v)
    return best


def kept_hardware(C, E, hw):
    """CoExploration.undominatedHardware: sub-accelerator i 'dominates' j when it costs no more cycles
    and no more energy on every cell of every task; a usable candidate h is left out when another
    usable g has each slot dominating h's (mutual domination: the lower index is kept)."""
    dom = np.zeros((32, 32), bool)
    for i in range(32):
        for j in range(32):
            dom[i, j] = i == j or (np.all(C[i] <= C[j]) and np.all(E[i] <= E[j]))
    usable = [(h, k0, k1) for h, k0, k1 in hw]
    kept = []
    for h, a0, a1 in usable:
        left_out = False
        for g, b0, b1 in usable:
            if g == h or not (dom[b0, a0] and dom[b1, a1]):
                continue
            if not (dom[a0, b0] and dom[a1, b1]) or g < h:
                left_out = True
                break
        if not left_out:
            kept.append(h)
    return kept, dom


def describe(k):
    df, r, c, b = knobs(k)
    return f"{df} {r}x{c} {b}KiB"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--latency", type=float, default=2.0)
    p.add_argument("--energy", type=float, default=0.6)
    p.add_argument("--area", type=float, default=5.0)
    p.add_argument("--scan", action="store_true")
    p.add_argument("--no-kept", action="store_true")
    a = p.parse_args()
    C, E, A = load()
    F = fronts(C, E, A)
    if a.scan:
        lat = [0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.75, 0.8, 1.0, 1.5, 2.0]
        eng = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0, 1.2, 1.5]
        b = scan(C, E, A, F, a.area, lat, eng)
        print("latency\\energy " + " ".join(f"{e:>8}" for e in eng))
        for li, L in enumerate(lat):
            print(f"{L:>14} " + " ".join(f"{v:8.3f}" for v in b[li]))
        return
    best, ties, hw = solve(C, E, A, F, a.latency, a.energy, a.area)
    print(f"specs: latency_ms {a.latency}, energy_mj {a.energy}, area_mm2 {a.area}")
    print(f"hardware candidates within the budgets and area spec: {len(hw)} of 1024; x 8 assignments = {8 * len(hw)}")
    print("pruned cells per (sub-accelerator, task): min", min(len(v) for v in F.values()), "max", max(len(v) for v in F.values()))
    if best is None:
        print("no feasible design")
    else:
        k0, k1 = best["k"]
        print(f"optimum: {best['value']!r}")
        print(f"  cells: " + ", ".join(f"{TASKS[t]} {best['cells'][t]} ({A[t, best['cells'][t]]!r})" for t in range(3)))
        print(f"  hardware index {best['hardware']}: slot 0 {describe(k0)} (knob {k0}), slot 1 {describe(k1)} (knob {k1}); "
              f"area {area(k0) + area(k1)!r} mm2")
        print(f"  assignment (task -> slot): {best['assignment']} (assignment index {best['assignment_index']})")
        print(f"  latency {best['latency_ms']!r} ms, energy {best['energy_mj']!r} mJ")
        others = {(d["hardware"], tuple(d["assignment"]), tuple(d["cells"])) for d in ties}
        print(f"  other (hardware, assignment) reaching the same value within 1e-9: {len(ties)}")
        for d in ties[:20]:
            print(f"    h {d['hardware']} ({describe(d['k'][0])} + {describe(d['k'][1])}) asg {d['assignment']} cells {d['cells']} "
                  f"lat {d['latency_ms']:.6f} en {d['energy_mj']:.6f}")
    if not a.no_kept:
        kept, dom = kept_hardware(C, E, hw)
        print(f"kept by the pairwise dominance check: {len(kept)} of {len(hw)}")
        print("  kept:", kept)
        print("  kept pairs:", [f"{describe(h % 32)} + {describe(h // 32)}" for h in kept])


if __name__ == "__main__":
    main()
