#!/usr/bin/env python3
"""
run_scalesim_sets.py -- SCALE-Sim v3 total cycles on generated layers and memory configurations.

Why: scalesim-figures.csv has ResNet-18 layers on one memory configuration (three 64 kB
scratchpads, 10 words per cycle per port). To check that the model reproduces SCALE-Sim's
memory mechanism rather than those 58 rows, this script draws other layers, array shapes,
scratchpad sizes and bandwidths from a seeded generator and records SCALE-Sim's figures:

  --set new       seed 2025: layers used while building the model (scalesim-new.csv)
  --set heldout   seed 7919: layers never used to build or tune it (scalesim-heldout.csv)
  --set heldout2  seed 104729: a second held-out set, drawn and recorded only after the lookup
                  by address of repeated im2col elements was finished (scalesim-heldout2.csv);
                  mostly kernels larger than 1x1 (3, 5, 7, some rectangular 1x3/3x1/3x5), stride
                  1, 2 or 3, outputs not always square
  --set heldout3  seed 1299709: a third held-out set, drawn and recorded only after the
                  row-order fix for heldout2's h12 was frozen: the bandwidth-starved regime
                  (1 to 4 words per cycle, some 10; 8 to 64 kB, mostly 8 and 16), matrix
                  products and convolutions, all three dataflows
  --set h12-variants  a fixed list of h12 variants (bandwidth, scratchpad, dataflow, array,
                  operand shape) used to isolate h12's mechanism (scalesim-h12-variants.csv)

Each job: a convolution (output 4..28 pixels square, filter 1/3/5, stride 1/2, 3..256 input
channels, 8..256 filters, or a matrix product as a 1x1 convolution over one pixel), one of the
dataflows ws/os/is, an array of 8..32 rows and columns (not always square), one scratchpad size
for all three scratchpads (16, 32, 64 or 128 kB) and one bandwidth for all three ports (4, 10
or 20 words per cycle). Jobs whose closed-form compute cycles fall outside 500..60,000 are
redrawn (SCALE-Sim needs about 25 s per 10^5 simulated cycles, more with stalls). A job that
runs over --sim-timeout-min is left out and listed at the end.

Runs SCALE-Sim exactly as run_scalesim.py does (same config template, one layer, USER
bandwidth mode, save_disk_space=True) and adds to its columns the configuration
(sram_kb, bw_words) and SCALE-Sim's DRAM access counts (ifmap/filter reads, ofmap writes).

Usage:
  /tmp/venv-peers/bin/python run_scalesim_sets.py --set new [--count 48] [--budget-min 60]
  /tmp/venv-peers/bin/python run_scalesim_sets.py --set heldout [--count 36]
  /tmp/venv-peers/bin/python run_scalesim_sets.py --set heldout2 --count 40
"""

import argparse
import csv
import importlib.metadata
import math
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run_scalesim as rs  # noqa: E402

SEEDS = {"new": 2025, "heldout": 7919, "heldout2": 104729, "heldout3": 1299709, "h12-variants": 0}
COLUMNS = ["set", "layer", "ifmap_h", "ifmap_w", "filter_h", "filter_w", "channels",
           "num_filter", "stride", "array_rows", "array_cols", "dataflow", "sram_kb",
           "bw_words", "ofmap_h", "ofmap_w", "macs", "compute_cycles", "total_cycles",
           "stall_cycles", "closed_form_cycles", "closed_form_compute",
           "ifmap_dram_reads", "filter_dram_reads", "ofmap_dram_writes",
           "sim_wall_s", "scalesim_version"]


def draw(rng, i):
    """One job: (name, ih, iw, fh, fw, ch, k, s, rows, cols, df, sram_kb, bw)."""
    while True:
        if rng.random() < 0.12:
            oh, f, s = 1, 1, 1
            ch = rng.choice([128, 256, 384, 512])
            k = rng.choice([64, 100, 128, 200, 256])
        else:
            oh = rng.choice([4, 6, 7, 8, 10, 12, 14, 16, 20, 28])
            f = rng.choice([1, 1, 3, 3, 3, 5])
            s = rng.choice([1, 1, 1, 2])
            ch = rng.choice([3, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256])
            k = rng.choice([8, 16, 24, 32, 48, 64, 96, 128, 160, 256])
        rows = rng.choice([8, 16, 16, 32, 32])
        cols = rng.choice([8, 16, 32]) if rng.random() < 0.3 else rows
        df = rng.choice(["ws", "os", "is"])
        sram = rng.choice([16, 32, 64, 64, 128])
        bw = rng.choice([4, 10, 10, 20])
        ih = rs.layer_inputs(oh, f, s)
        cf = rs.closed_form(ih, ih, f, f, ch, k, s, rows, cols, df)
        if 500 <= cf <= 60000:
            return (f"g{i:02d}_{oh}x{oh}_f{f}s{s}_c{ch}k{k}", ih, ih, f, f, ch, k, s, rows, cols,
                    df, sram, bw)


def draw_kernels(rng, i):
    """A heldout2 job: like draw(), but mostly kernels larger than 1x1 and strides up to 3."""
    while True:
        if rng.random() < 0.08:
            oh, ow, fh, fw, s = 1, 1, 1, 1, 1
            ch = rng.choice([128, 256, 384, 512])
            k = rng.choice([64, 100, 128, 200, 256])
        else:
            oh = rng.choice([4, 5, 7, 8, 9, 11, 13, 14, 16, 20, 24, 28])
            ow = oh if rng.random() < 0.7 else rng.choice([4, 6, 9, 12, 15, 20])
            fh, fw = rng.choice([(1, 1), (3, 3), (3, 3), (3, 3), (5, 5), (5, 5), (7, 7),
                                 (1, 3), (3, 1), (3, 5)])
            s = rng.choice([1, 1, 2, 2, 3])
            ch = rng.choice([1, 3, 4, 8, 16, 24, 32, 48, 64, 96, 128, 192])
            k = rng.choice([8, 16, 24, 32, 48, 64, 96, 128, 160, 256])
        rows = rng.choice([8, 12, 16, 16, 32, 32])
        cols = rng.choice([8, 16, 24, 32]) if rng.random() < 0.35 else rows
        df = rng.choice(["ws", "os", "is"])
        sram = rng.choice([8, 16, 32, 64, 128])
        bw = rng.choice([2, 4, 10, 16, 20])
        ih, iw = rs.layer_inputs(oh, fh, s), rs.layer_inputs(ow, fw, s)
        cf = rs.closed_form(ih, iw, fh, fw, ch, k, s, rows, cols, df)
        if 500 <= cf <= 60000:
            return (f"h{i:02d}_{oh}x{ow}_f{fh}x{fw}s{s}_c{ch}k{k}", ih, iw, fh, fw, ch, k, s,
                    rows, cols, df, sram, bw)


def draw_starved(rng, i):
    """A heldout3 job: the bandwidth-starved regime (1 to 4 words per cycle, mostly 8 to 32 kB
    scratchpads), matrix products and convolutions (1x1 and larger kernels), all dataflows."""
    while True:
        u = rng.random()
        if u < 0.3:
            oh, ow, fh, fw, s = 1, 1, 1, 1, 1
            ch = rng.choice([64, 128, 192, 256, 384, 512])
            k = rng.choice([32, 64, 100, 128, 200, 256])
        else:
            oh = rng.choice([4, 5, 7, 8, 10, 12, 14, 16, 20])
            ow = oh if rng.random() < 0.7 else rng.choice([4, 6, 9, 12, 15])
            fh, fw = rng.choice([(1, 1), (1, 1), (3, 3), (3, 3), (5, 5), (7, 7), (1, 3), (3, 1)])
            s = rng.choice([1, 1, 2, 3])
            ch = rng.choice([3, 8, 16, 32, 48, 64, 96, 128, 192, 256])
            k = rng.choice([8, 16, 32, 48, 64, 96, 128, 160, 256])
        rows = rng.choice([8, 12, 16, 16, 32, 32])
        cols = rng.choice([8, 16, 24, 32]) if rng.random() < 0.35 else rows
        df = rng.choice(["ws", "os", "is"])
        sram = rng.choice([8, 8, 16, 16, 32, 64])
        bw = rng.choice([1, 2, 2, 3, 4, 4, 10])
        ih, iw = rs.layer_inputs(oh, fh, s), rs.layer_inputs(ow, fw, s)
        cf = rs.closed_form(ih, iw, fh, fw, ch, k, s, rows, cols, df)
        if 500 <= cf <= 40000:
            return (f"s{i:02d}_{oh}x{ow}_f{fh}x{fw}s{s}_c{ch}k{k}", ih, iw, fh, fw, ch, k, s,
                    rows, cols, df, sram, bw)


def h12_variants():
    """Fixed variants of heldout2's h12 (matrix product C=384, K=256, 32x32 WS, 16 kB, 2 words
    per cycle), used to isolate its mechanism: bandwidth, scratchpad size, dataflow, array and
    operand shape varied one at a time."""
    jobs = []
    def mm(tag, ch, k, rows, cols, df, sram, bw, oh=1):
        ih = rs.layer_inputs(oh, 1, 1)
        jobs.append((f"v{len(jobs):02d}_{tag}_{oh}x{oh}_c{ch}k{k}", ih, ih, 1, 1, ch, k, 1, rows, cols, df, sram, bw))
    for bw in [1, 2, 3, 4, 8, 10]:
        mm(f"bw{bw}", 384, 256, 32, 32, "ws", 16, bw)
    for sram in [8, 32, 64]:
        mm(f"sram{sram}", 384, 256, 32, 32, "ws", sram, 2)
    for df in ["os", "is"]:
        mm(df, 384, 256, 32, 32, df, 16, 2)
    mm("arr16", 384, 256, 16, 16, "ws", 16, 2)
    mm("arr32x16", 384, 256, 32, 16, "ws", 16, 2)
    for ch, k in [(256, 256), (512, 128), (384, 200), (200, 384)]:
        mm("shape", ch, k, 32, 32, "ws", 16, 2)
    mm("pix7", 128, 256, 32, 32, "ws", 16, 2, oh=7)
    mm("pix7is", 128, 256, 32, 32, "is", 16, 2, oh=7)
    return jobs


def simulate(job, workdir, version):
    name, ih, iw, fh, fw, ch, k, s, rows, cols, df, sram, bw = job
    rs.SRAM_KB = {"ifmap": sram, "filter": sram, "ofmap": sram}
    rs.BANDWIDTH_WORDS_PER_CYCLE = bw
    from scalesim.scale_sim import scalesim
    jobdir = os.path.join(workdir, f"{name}_{rows}x{cols}_{df}_{sram}k_{bw}w")
    cfg, topo, lay = rs.write_inputs(jobdir, name, ih, iw, fh, fw, ch, k, s, rows, cols, df, "USER")
    t0 = time.time()
    sim = scalesim(save_disk_space=True, verbose=False, config=cfg, topology=topo, layout=lay)
    sim.run_scale(top_path=os.path.join(jobdir, "out"))
    wall = time.time() - t0
    layer = sim.runner.single_layer_sim_object_list[0]
    _incl, total, stall, _u, _m, _c = layer.get_compute_report_items()
    mem = layer.memory_system
    oh = math.ceil((ih - fh + s) / s)
    ow = math.ceil((iw - fw + s) / s)
    cf = rs.closed_form(ih, iw, fh, fw, ch, k, s, rows, cols, df)
    compute = int(total) - int(stall)
    return {"layer": name, "ifmap_h": ih, "ifmap_w": iw, "filter_h": fh, "filter_w": fw,
            "channels": ch, "num_filter": k, "stride": s, "array_rows": rows, "array_cols": cols,
            "dataflow": df, "sram_kb": sram, "bw_words": bw, "ofmap_h": oh, "ofmap_w": ow,
            "macs": oh * ow * fh * fw * ch * k, "compute_cycles": compute,
            "total_cycles": int(total), "stall_cycles": int(stall), "closed_form_cycles": cf,
            "closed_form_compute": "match" if cf == compute else f"mismatch({compute - cf:+d})",
            "ifmap_dram_reads": int(mem.ifmap_buf.num_access),
            "filter_dram_reads": int(mem.filter_buf.num_access),
            "ofmap_dram_writes": int(mem.ofmap_buf.num_access),
            "sim_wall_s": f"{wall:.1f}", "scalesim_version": version}


def run_with_timeout(job, workdir, version, timeout_s):
    return rs.call_with_timeout(simulate, (job, workdir, version), timeout_s)[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--set", choices=sorted(SEEDS), required=True)
    ap.add_argument("--count", type=int, default=48)
    ap.add_argument("--budget-min", type=float, default=60.0)
    ap.add_argument("--sim-timeout-min", type=float, default=3.0)
    ap.add_argument("--out", default="")
    ap.add_argument("--workdir", default="/tmp/scalesim-sets")
    ap.add_argument("--resume", action="store_true")
    args = ap.parse_args()
    out = args.out or os.path.join(HERE, f"scalesim-{args.set}.csv")
    version = importlib.metadata.version("scalesim")
    rng = random.Random(SEEDS[args.set])
    drawer = {"heldout2": draw_kernels, "heldout3": draw_starved}.get(args.set, draw)
    jobs = h12_variants() if args.set == "h12-variants" else [drawer(rng, i) for i in range(args.count)]
    rows = []
    if args.resume and os.path.exists(out):
        with open(out, newline="") as f:
            rows = list(csv.DictReader(f))
    done = {r["layer"] for r in rows}
    deadline = time.time() + args.budget_min * 60
    skipped = []
    for job in jobs:
        if job[0] in done:
            continue
        if time.time() > deadline:
            skipped.append((job[0], "budget"))
            continue
        r = run_with_timeout(job, args.workdir, version, args.sim_timeout_min * 60)
        if r is None:
            skipped.append((job[0], "timeout"))
            print(f"{job[0]} {job[8]}x{job[9]} {job[10]}: timeout", flush=True)
            continue
        r["set"] = args.set
        rows.append(r)
        with open(out + ".tmp", "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS)
            w.writeheader()
            w.writerows(rows)
        os.replace(out + ".tmp", out)
        print(f"{r['layer']} {r['array_rows']}x{r['array_cols']} {r['dataflow']} "
              f"{r['sram_kb']}kB {r['bw_words']}w: compute {r['compute_cycles']} "
              f"total {r['total_cycles']} ({r['sim_wall_s']} s)", flush=True)
    print(f"done: {len(rows)} rows in {out}")
    for name, why in skipped:
        print(f"skipped ({why}): {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
