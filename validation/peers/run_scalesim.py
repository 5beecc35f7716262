#!/usr/bin/env python3
"""
run_scalesim.py -- reference figures from SCALE-Sim v3 for single ResNet-18 layers.

What it does
  * Builds a list of distinct ResNet-18 (224x224 ImageNet) conv layers plus the
    final FC layer (as a 1x1 conv over a 1x1 input, 512 channels, 1000 filters).
  * For every (array size, layer, dataflow) job it writes a tiny SCALE-Sim
    config (.cfg), a one-layer topology CSV and a one-layer layout CSV into a
    scratch folder under /tmp, runs SCALE-Sim through its Python API
    (scalesim.scale_sim.scalesim with save_disk_space=True, i.e. no cycle
    traces), and reads the per-layer report items back from the simulator
    object.
  * Writes one CSV row per finished simulation (the CSV is rewritten after
    every job, so an interrupted run keeps what it has):
      layer, ifmap_h, ifmap_w, filter_h, filter_w, channels, num_filter,
      stride, array_rows, array_cols, dataflow, ofmap_h, ofmap_w, macs,
      compute_cycles, total_cycles, stall_cycles, total_cycles_incl_prefetch,
      closed_form_cycles, closed_form_compute, mapping_eff_pct,
      compute_util_pct, sim_wall_s, sim_cpu_s, config, scalesim_version
    where
      total_cycles               = SCALE-Sim "Total Cycles" (compute report
                                   column 3; includes memory stall cycles)
      stall_cycles               = SCALE-Sim "Stall Cycles"
      compute_cycles             = total_cycles - stall_cycles
      total_cycles_incl_prefetch = SCALE-Sim "Total Cycles (incl. prefetch)"
                                   (first DRAM read to last DRAM write)
      closed_form_cycles         = the closed form given in
                                   /work/shared/reference/peers.md
      closed_form_compute        = "match" if closed_form_cycles ==
                                   compute_cycles, else "mismatch(+d)"
  * Input sizes: SCALE-Sim computes the output size as ceil((H - R + s)/s)
    with no padding, so each layer is given its padded input size. For the
    stride-2 layers, the full padded size (e.g. 56+2 = 58) would give one
    extra output row/column (29 rather than 28), so the input is trimmed to
    the rows/columns the conv actually reads: H = (OH - 1)*s + R. For
    stride-1 layers this is exactly the padded size.
  * Scheduling: one simulation at a time, one thread (BLAS thread variables
    are forced to 1). Each simulation runs in a forked child process so that
    it can be abandoned after --sim-timeout-min minutes (default 8); an
    abandoned job is logged and left out of the CSV. Jobs are ordered 32x32
    first, then 16x16; within an array, layers go cheapest first (by
    closed-form cycles) and the three dataflows of a layer run back to back.
    No new job starts once the runtime budget (--budget-min from now, or the
    absolute --deadline-epoch) is used up, or when the predicted runtime of
    the job (measured wall seconds per simulated compute cycle so far) would
    end past it. --resume keeps the rows already in the output CSV and skips
    those jobs.
  * Default layer set: every distinct ResNet-18 shape except conv5_2 (3x3,
    512->512, 7x7 out). Its 32x32 WS run was stopped after about 14 minutes
    without finishing (memory-stall simulation dominates), so it was dropped
    from the chosen set; pass --layers to include it.

Usage (see README.md in this folder):
  /tmp/venv-peers/bin/python run_scalesim.py [--budget-min 60] [--arrays 32,16]
      [--out scalesim-figures.csv] [--workdir /tmp/scalesim-work]
      [--layers conv3_ds,fc] [--dataflows ws,os,is] [--bw-mode USER|CALC]
      [--sim-timeout-min 8] [--deadline-epoch T] [--resume]
"""

import argparse
import csv
import importlib.metadata
import json
import math
import os
import sys
import time

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# Architecture / memory configuration shared by every run (see README.md).
# Sizes in kB (SCALE-Sim word = 1 byte), bandwidths in words per cycle.
SRAM_KB = {"ifmap": 64, "filter": 64, "ofmap": 64}
BANDWIDTH_WORDS_PER_CYCLE = 10

# ResNet-18, 224x224 input. (name, out_hw, filter, channels, filters, stride,
# how many times the shape occurs in the network).
RESNET18_LAYERS = [
    ("conv1",    112, 7,   3,   64, 2, 1),
    ("conv2_x",   56, 3,  64,   64, 1, 4),
    ("conv3_1",   28, 3,  64,  128, 2, 1),
    ("conv3_ds",  28, 1,  64,  128, 2, 1),
    ("conv3_2",   28, 3, 128,  128, 1, 3),
    ("conv4_1",   14, 3, 128,  256, 2, 1),
    ("conv4_ds",  14, 1, 128,  256, 2, 1),
    ("conv4_2",   14, 3, 256,  256, 1, 3),
    ("conv5_1",    7, 3, 256,  512, 2, 1),
    ("conv5_ds",   7, 1, 256,  512, 2, 1),
    ("conv5_2",    7, 3, 512,  512, 1, 3),
    ("fc",         1, 1, 512, 1000, 1, 1),
]

CSV_COLUMNS = [
    "layer", "ifmap_h", "ifmap_w", "filter_h", "filter_w", "channels",
    "num_filter", "stride", "array_rows", "array_cols", "dataflow",
    "ofmap_h", "ofmap_w", "macs", "compute_cycles", "total_cycles",
    "stall_cycles", "total_cycles_incl_prefetch", "closed_form_cycles",
    "closed_form_compute", "mapping_eff_pct", "compute_util_pct",
    "sim_wall_s", "sim_cpu_s", "config", "scalesim_version",
]


def layer_inputs(out_hw, filt, stride):
    """Input size fed to SCALE-Sim so that ceil((H-R+s)/s) == out_hw."""
    return (out_hw - 1) * stride + filt


def closed_form(ifmap_h, ifmap_w, filt_h, filt_w, ch, k, stride, rows, cols, df):
    """Compute-cycle closed form from peers.md."""
    oh = math.ceil((ifmap_h - filt_h + stride) / stride)
    ow = math.ceil((ifmap_w - filt_w + stride) / stride)
    if df == "ws":
        sr, sc, t, rmul = filt_h * filt_w * ch, k, oh * ow, 2
    elif df == "os":
        sr, sc, t, rmul = oh * ow, k, filt_h * filt_w * ch, 1
    elif df == "is":
        sr, sc, t, rmul = filt_h * filt_w * ch, oh * ow, k, 2
    else:
        raise ValueError(df)
    folds = math.ceil(sr / rows) * math.ceil(sc / cols)
    return folds * (t + rmul * rows + cols - 2) - 1


def config_text(run_name, rows, cols, df, bw_mode):
    bw = BANDWIDTH_WORDS_PER_CYCLE
    return f"""[general]
run_name = {run_name}

[architecture_presets]
ArrayHeight = {rows}
ArrayWidth = {cols}
IfmapSramSzkB = {SRAM_KB['ifmap']}
FilterSramSzkB = {SRAM_KB['filter']}
OfmapSramSzkB = {SRAM_KB['ofmap']}
IfmapOffset = 0
FilterOffset = 10000000
OfmapOffset = 20000000
Bandwidth = {bw}
Dataflow = {df}
ReadRequestBuffer = 32
WriteRequestBuffer = 32

[layout]
IfmapCustomLayout = False
IfmapSRAMBankBandwidth = {bw}
IfmapSRAMBankNum = 1
IfmapSRAMBankPort = 2
FilterCustomLayout = False
FilterSRAMBankBandwidth = {bw}
FilterSRAMBankNum = 1
FilterSRAMBankPort = 2

[sparsity]
SparsitySupport = false
SparseRep = ellpack_block
OptimizedMapping = false
BlockSize = 8
RandomNumberGeneratorSeed = 40

[run_presets]
InterfaceBandwidth = {bw_mode}
UseRamulatorTrace = False
"""


def config_label(bw_mode):
    s = SRAM_KB
    lab = f"sram_kB={s['ifmap']}/{s['filter']}/{s['ofmap']};word=1B;{bw_mode}"
    if bw_mode == "USER":
        lab += f";bw={BANDWIDTH_WORDS_PER_CYCLE}w/cyc(ifmap,filter,ofmap)"
    return lab


def write_inputs(jobdir, name, ih, iw, fh, fw, ch, k, s, rows, cols, df, bw_mode):
    os.makedirs(jobdir, exist_ok=True)
    cfg = os.path.join(jobdir, "run.cfg")
    topo = os.path.join(jobdir, "topology.csv")
    lay = os.path.join(jobdir, "layout.csv")
    with open(cfg, "w") as f:
        f.write(config_text("run", rows, cols, df, bw_mode))
    with open(topo, "w") as f:
        f.write("Layer,IFMAP Height,IFMAP Width,Filter Height,Filter Width,"
                "Channels,Num Filter,Strides,\n")
        f.write(f"{name},{ih},{iw},{fh},{fw},{ch},{k},{s},\n")
    # Layout file is mandatory for the API but only consulted when the custom
    # layout flags are on (they are off here). One plain row per layer.
    with open(lay, "w") as f:
        f.write("Layer,IFMAP H intraline factor,IFMAP W intraline factor,"
                "Filter H intraline factor,Filter W intraline factor,"
                "Channel intraline factor,Num filter intraline factor,"
                "IFMAP H intraline order,IFMAP W intraline order,"
                "Channel intraline order,IFMAP H interline order,"
                "IFMAP W interline order,Channel interline order,"
                "Num filter intraline order,Channel intraline order,"
                "Filter H intraline order,Filter W intraline order,"
                "Num filter interline order,Channel interline order,"
                "Filter H interline order,Filter W interline order,\n")
        f.write(f"{name},1,1,1,1,{ch},1,0,1,2,0,1,2,0,1,2,3,0,1,2,3,\n")
    return cfg, topo, lay


def simulate(job, workdir, bw_mode, version):
    from scalesim.scale_sim import scalesim  # imported lazily (slow import)

    name, ih, iw, fh, fw, ch, k, s, rows, cols, df = job
    jobdir = os.path.join(workdir, f"{rows}x{cols}_{df}_{name}")
    cfg, topo, lay = write_inputs(jobdir, name, ih, iw, fh, fw, ch, k, s,
                                  rows, cols, df, bw_mode)
    t0, c0 = time.time(), time.process_time()
    sim = scalesim(save_disk_space=True, verbose=False, config=cfg,
                   topology=topo, layout=lay)
    sim.run_scale(top_path=os.path.join(jobdir, "out"))
    wall, cpu = time.time() - t0, time.process_time() - c0

    layer = sim.runner.single_layer_sim_object_list[0]
    incl_prefetch, total, stall, _util, mapping_eff, compute_util = \
        layer.get_compute_report_items()
    oh = math.ceil((ih - fh + s) / s)
    ow = math.ceil((iw - fw + s) / s)
    compute = int(total) - int(stall)
    cf = closed_form(ih, iw, fh, fw, ch, k, s, rows, cols, df)
    return {
        "layer": name, "ifmap_h": ih, "ifmap_w": iw, "filter_h": fh,
        "filter_w": fw, "channels": ch, "num_filter": k, "stride": s,
        "array_rows": rows, "array_cols": cols, "dataflow": df,
        "ofmap_h": oh, "ofmap_w": ow, "macs": oh * ow * fh * fw * ch * k,
        "compute_cycles": compute, "total_cycles": int(total),
        "stall_cycles": int(stall),
        "total_cycles_incl_prefetch": int(incl_prefetch),
        "closed_form_cycles": cf,
        "closed_form_compute": "match" if cf == compute
        else f"mismatch({compute - cf:+d})",
        "mapping_eff_pct": f"{mapping_eff:.3f}",
        "compute_util_pct": f"{compute_util:.3f}",
        "sim_wall_s": f"{wall:.1f}", "sim_cpu_s": f"{cpu:.1f}",
        "config": config_label(bw_mode), "scalesim_version": version,
    }


def build_jobs(arrays, layers, dataflows):
    """Groups of jobs (one group = one layer on one array, all dataflows)."""
    groups = []
    for a in arrays:
        per_array = []
        for name, out_hw, f, ch, k, s, _n in RESNET18_LAYERS:
            if layers and name not in layers:
                continue
            ih = layer_inputs(out_hw, f, s)
            jobs = [(name, ih, ih, f, f, ch, k, s, a, a, df) for df in dataflows]
            est = sum(closed_form(ih, ih, f, f, ch, k, s, a, a, df)
                      for df in dataflows)
            per_array.append((est, jobs))
        per_array.sort(key=lambda g: g[0])
        groups.extend(per_array)
    return groups


DEFAULT_LAYERS = [l[0] for l in RESNET18_LAYERS if l[0] != "conv5_2"]


def _child(fn, args, queue):
    queue.put(fn(*args))


def call_with_timeout(fn, args, timeout_s):
    """fn(*args) in a forked child; (its result, or None past timeout_s, and the seconds taken)."""
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(fn, args, q))
    p.start()
    t0 = time.time()
    result = None
    while time.time() - t0 < timeout_s:
        try:
            result = q.get(timeout=1.0)
            break
        except Exception:
            if not p.is_alive() and q.empty():
                break
    if result is None and p.is_alive():
        p.terminate()
    p.join()
    return result, time.time() - t0


def simulate_with_timeout(job, workdir, bw_mode, version, timeout_s):
    """Run one simulation in a forked child; None if it exceeds timeout_s."""
    return call_with_timeout(simulate, (job, workdir, bw_mode, version), timeout_s)


def job_key(name, rows, cols, df):
    return (str(name), int(rows), int(cols), str(df))


def write_csv(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow(r)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--budget-min", type=float, default=60.0)
    ap.add_argument("--arrays", default="32,16")
    ap.add_argument("--layers", default="")
    ap.add_argument("--dataflows", default="ws,os,is")
    ap.add_argument("--bw-mode", default="USER", choices=["USER", "CALC"])
    ap.add_argument("--out", default=os.path.join(HERE, "scalesim-figures.csv"))
    ap.add_argument("--workdir", default="/tmp/scalesim-work")
    ap.add_argument("--log", default="/tmp/scalesim-work/run-log.jsonl")
    ap.add_argument("--sec-per-cycle", type=float, default=25.0 / 1e5,
                    help="initial runtime estimate before calibration")
    ap.add_argument("--sim-timeout-min", type=float, default=8.0)
    ap.add_argument("--deadline-epoch", type=float, default=0.0,
                    help="absolute time (seconds since epoch) after which no "
                         "new simulation starts; overrides --budget-min")
    ap.add_argument("--resume", action="store_true",
                    help="keep rows already in --out and skip those jobs")
    args = ap.parse_args()

    version = importlib.metadata.version("scalesim")
    arrays = [int(x) for x in args.arrays.split(",") if x]
    layers = set(x for x in args.layers.split(",") if x) or set(DEFAULT_LAYERS)
    dataflows = [x for x in args.dataflows.split(",") if x]
    os.makedirs(args.workdir, exist_ok=True)

    rows = []
    if args.resume and os.path.exists(args.out):
        with open(args.out, newline="") as f:
            rows = list(csv.DictReader(f))
    done = {job_key(r["layer"], r["array_rows"], r["array_cols"], r["dataflow"])
            for r in rows}

    groups = build_jobs(arrays, layers, dataflows)
    start = time.time()
    deadline = args.deadline_epoch or (start + args.budget_min * 60.0)
    sim_secs, sim_cycles = 0.0, 0
    skipped, timed_out = [], []
    for _est, jobs in groups:
        for job in jobs:
            name, ih, iw, fh, fw, ch, k, s, r_, c_, df = job
            if job_key(name, r_, c_, df) in done:
                continue
            rate = (sim_secs / sim_cycles) if sim_cycles else args.sec_per_cycle
            predicted = closed_form(ih, iw, fh, fw, ch, k, s, r_, c_, df) * rate
            now = time.time()
            if now >= deadline or now + predicted > deadline:
                skipped.append((name, r_, df, round(predicted)))
                continue
            timeout_s = min(args.sim_timeout_min * 60.0, max(deadline - now, 1.0) + 600.0)
            r, wall = simulate_with_timeout(job, args.workdir, args.bw_mode,
                                            version, timeout_s)
            if r is None:
                timed_out.append((name, r_, df, round(wall)))
                with open(args.log, "a") as lf:
                    lf.write(json.dumps({"layer": name, "array_rows": r_,
                                         "dataflow": df, "abandoned_after_s":
                                         round(wall, 1)}) + "\n")
                print(f"[{time.time() - start:7.1f}s] {r_}x{c_} {df} {name}: "
                      f"abandoned after {wall:.0f} s", flush=True)
                continue
            rows.append(r)
            sim_secs += float(r["sim_wall_s"])
            sim_cycles += r["compute_cycles"]
            write_csv(args.out, rows)
            with open(args.log, "a") as lf:
                lf.write(json.dumps({**r, "elapsed_s": round(time.time() - start, 1)}) + "\n")
            print(f"[{time.time() - start:7.1f}s] {r['array_rows']}x{r['array_cols']} "
                  f"{r['dataflow']} {r['layer']}: compute {r['compute_cycles']} "
                  f"total {r['total_cycles']} stall {r['stall_cycles']} "
                  f"cf {r['closed_form_compute']} ({r['sim_wall_s']} s)", flush=True)
    print(f"done: {len(rows)} rows in CSV, this run {time.time() - start:.0f} s")
    for name, a, df, pred in skipped:
        print(f"skipped (budget): {a}x{a} {df} {name}, predicted {pred} s")
    for name, a, df, w in timed_out:
        print(f"abandoned (timeout): {a}x{a} {df} {name} after {w} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
