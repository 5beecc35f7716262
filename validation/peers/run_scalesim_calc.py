#!/usr/bin/env python3
"""
run_scalesim_calc.py -- SCALE-Sim v3 in its CALC interface-bandwidth mode, with DRAM counts.

Runs single ResNet-18 layers (the shapes and input sizes of run_scalesim.py) through SCALE-Sim's
Python API with `InterfaceBandwidth = CALC` (or USER, for the same layers' DRAM counts) and the
configuration of run_scalesim.py (64 kB scratchpads each, word = 1 byte, 10 words/cycle in the
USER fields; CALC ignores them). One simulation at a time, in a forked child with a timeout
(run_scalesim.call_with_timeout), BLAS threads forced to 1. The CSV is rewritten after every job.

What CALC mode does in scalesim 3.0.0 (single_layer_sim.py, memory/read_buffer_estimate_bw.py):
the ifmap and filter scratchpads are ReadBufferEstimateBw objects whose service_reads always hits
(out cycle = request cycle + 1, so ifmap/filter stalls are 0); they only track the demanded
addresses in sets of floor(size/100) new addresses and, each time the active half fills, record a
prefetch of the next half whose bandwidth is ceil(elements / cycles since the previous prefetch)
(the first one at the default 10 words/cycle, before cycle 0). The ofmap scratchpad is the normal
write buffer, draining at `array_cols` words per cycle, so it alone can stall the array.

Columns: the layer shape, dataflow, array, sram_kb, bw_mode, then
  compute_cycles   = "Total Cycles" - "Stall Cycles"
  total_cycles     = SCALE-Sim "Total Cycles" (compute report; includes stalls)
  stall_cycles     = SCALE-Sim "Stall Cycles"
  total_cycles_incl_prefetch = "Total Cycles (incl. prefetch)" (first DRAM read to last write)
  closed_form_cycles / closed_form_compute: the peers.md closed form and whether it matches
  ifmap_dram_reads, filter_dram_reads, ofmap_dram_writes: the scratchpads' num_access (words)
  avg_{ifmap,filter,ofmap}_dram_bw: SCALE-Sim's BANDWIDTH_REPORT DRAM columns
                   (accesses / (last DRAM cycle - first DRAM cycle + 1)), words/cycle
  avg_{ifmap,filter,ofmap}_sram_bw: BANDWIDTH_REPORT SRAM columns (SRAM accesses / total cycles)
  peak_{ifmap,filter}_dram_bw: CALC only, the largest prefetch bandwidth SCALE-Sim chose (the
                   width of its DRAM trace matrix, words/cycle); the "required" bandwidth
  ofmap_drain_bw:  the ofmap port's bandwidth (CALC: array_cols; USER: Bandwidth)
  {ifmap,filter,ofmap}_dram_start/stop: first/last DRAM trace cycle per operand
  sim_wall_s, sim_cpu_s, scalesim_version

Usage:
  cd /tmp && /tmp/venv-peers/bin/python /work/main/validation/peers/run_scalesim_calc.py \
      --jobs 32:ws:conv3_ds,32:os:fc,... [--bw-mode CALC|USER] [--out FILE] \
      [--sim-timeout-min 4] [--budget-min 25] [--resume]
  --jobs entries are ARRAY:DATAFLOW:LAYER (layer names of run_scalesim.RESNET18_LAYERS);
  conv2_1 is accepted as a name for conv2_x (layer1.0.conv1).
"""

import argparse
import csv
import importlib.metadata
import math
import os
import sys
import time

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run_scalesim as rs  # noqa: E402

COLUMNS = ["layer", "ifmap_h", "ifmap_w", "filter_h", "filter_w", "channels", "num_filter",
           "stride", "dataflow", "array_rows", "array_cols", "sram_kb", "bw_mode",
           "ofmap_h", "ofmap_w", "macs", "compute_cycles", "total_cycles", "stall_cycles",
           "total_cycles_incl_prefetch", "closed_form_cycles", "closed_form_compute",
           "ifmap_dram_reads", "filter_dram_reads", "ofmap_dram_writes",
           "avg_ifmap_dram_bw", "avg_filter_dram_bw", "avg_ofmap_dram_bw",
           "peak_ifmap_dram_bw", "peak_filter_dram_bw", "ofmap_drain_bw",
           "avg_ifmap_sram_bw", "avg_filter_sram_bw", "avg_ofmap_sram_bw",
           "ifmap_dram_start", "ifmap_dram_stop", "filter_dram_start", "filter_dram_stop",
           "ofmap_dram_start", "ofmap_dram_stop", "sim_wall_s", "sim_cpu_s", "scalesim_version"]

ALIASES = {"conv2_1": "conv2_x"}


def parse_jobs(spec):
    shapes = {l[0]: l for l in rs.RESNET18_LAYERS}
    jobs = []
    for item in [x for x in spec.split(",") if x]:
        a, df, name = item.split(":")
        key = ALIASES.get(name, name)
        _n, out_hw, f, ch, k, s, _times = shapes[key]
        ih = rs.layer_inputs(out_hw, f, s)
        jobs.append((name, ih, ih, f, f, ch, k, s, int(a), int(a), df))
    return jobs


def simulate(job, workdir, bw_mode, version):
    from scalesim.scale_sim import scalesim
    name, ih, iw, fh, fw, ch, k, s, rows, cols, df = job
    jobdir = os.path.join(workdir, f"{rows}x{cols}_{df}_{name}_{bw_mode}")
    cfg, topo, lay = rs.write_inputs(jobdir, name, ih, iw, fh, fw, ch, k, s, rows, cols, df,
                                     bw_mode)
    t0, c0 = time.time(), time.process_time()
    sim = scalesim(save_disk_space=True, verbose=False, config=cfg, topology=topo, layout=lay)
    sim.run_scale(top_path=os.path.join(jobdir, "out"))
    wall, cpu = time.time() - t0, time.process_time() - c0
    layer = sim.runner.single_layer_sim_object_list[0]
    incl, total, stall, _u, _m, _c = layer.get_compute_report_items()
    bw = layer.get_bandwidth_report_items()  # sram i/f/o, dram i/f/o (no sparsity)
    det = layer.get_detail_report_items()
    mem = layer.memory_system
    oh = math.ceil((ih - fh + s) / s)
    ow = math.ceil((iw - fw + s) / s)
    cf = rs.closed_form(ih, iw, fh, fw, ch, k, s, rows, cols, df)
    compute = int(total) - int(stall)
    if bw_mode == "CALC":
        peak_i = mem.ifmap_buf.trace_matrix.shape[1] - 1
        peak_f = mem.filter_buf.trace_matrix.shape[1] - 1
    else:
        peak_i = peak_f = ""
    return {"layer": name, "ifmap_h": ih, "ifmap_w": iw, "filter_h": fh, "filter_w": fw,
            "channels": ch, "num_filter": k, "stride": s, "dataflow": df,
            "array_rows": rows, "array_cols": cols, "sram_kb": rs.SRAM_KB["ifmap"],
            "bw_mode": bw_mode, "ofmap_h": oh, "ofmap_w": ow,
            "macs": oh * ow * fh * fw * ch * k, "compute_cycles": compute,
            "total_cycles": int(total), "stall_cycles": int(stall),
            "total_cycles_incl_prefetch": int(incl), "closed_form_cycles": cf,
            "closed_form_compute": "match" if cf == compute else f"mismatch({compute - cf:+d})",
            "ifmap_dram_reads": int(det[11]), "filter_dram_reads": int(det[14]),
            "ofmap_dram_writes": int(det[17]),
            "avg_ifmap_dram_bw": f"{bw[3]:.4f}", "avg_filter_dram_bw": f"{bw[4]:.4f}",
            "avg_ofmap_dram_bw": f"{bw[5]:.4f}",
            "peak_ifmap_dram_bw": peak_i, "peak_filter_dram_bw": peak_f,
            "ofmap_drain_bw": int(mem.ofmap_buf.req_gen_bandwidth),
            "avg_ifmap_sram_bw": f"{bw[0]:.4f}", "avg_filter_sram_bw": f"{bw[1]:.4f}",
            "avg_ofmap_sram_bw": f"{bw[2]:.4f}",
            "ifmap_dram_start": int(det[9]), "ifmap_dram_stop": int(det[10]),
            "filter_dram_start": int(det[12]), "filter_dram_stop": int(det[13]),
            "ofmap_dram_start": int(det[15]), "ofmap_dram_stop": int(det[16]),
            "sim_wall_s": f"{wall:.1f}", "sim_cpu_s": f"{cpu:.1f}", "scalesim_version": version}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--jobs", required=True)
    ap.add_argument("--bw-mode", default="CALC", choices=["CALC", "USER"])
    ap.add_argument("--out", default=os.path.join(HERE, "scalesim-calc.csv"))
    ap.add_argument("--workdir", default="/tmp/scalesim-calc")
    ap.add_argument("--sim-timeout-min", type=float, default=4.0)
    ap.add_argument("--budget-min", type=float, default=25.0)
    ap.add_argument("--resume", action="store_true")
    args = ap.parse_args()
    version = importlib.metadata.version("scalesim")
    jobs = parse_jobs(args.jobs)
    os.makedirs(args.workdir, exist_ok=True)
    rows = []
    if args.resume and os.path.exists(args.out):
        with open(args.out, newline="") as f:
            rows = list(csv.DictReader(f))
    done = {(r["layer"], int(r["array_rows"]), r["dataflow"]) for r in rows}
    start = time.time()
    deadline = start + args.budget_min * 60
    skipped = []
    for job in jobs:
        name, rows_, df = job[0], job[8], job[10]
        if (name, rows_, df) in done:
            continue
        if time.time() > deadline:
            skipped.append((name, rows_, df, "budget"))
            continue
        r, wall = rs.call_with_timeout(simulate, (job, args.workdir, args.bw_mode, version),
                                       args.sim_timeout_min * 60)
        if r is None:
            skipped.append((name, rows_, df, f"timeout/failed after {wall:.0f} s"))
            print(f"[{time.time() - start:6.0f}s] {rows_}x{rows_} {df} {name}: "
                  f"no result after {wall:.0f} s", flush=True)
            continue
        rows.append(r)
        with open(args.out + ".tmp", "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS)
            w.writeheader()
            w.writerows(rows)
        os.replace(args.out + ".tmp", args.out)
        print(f"[{time.time() - start:6.0f}s] {rows_}x{rows_} {df} {name} {args.bw_mode}: "
              f"compute {r['compute_cycles']} total {r['total_cycles']} stall "
              f"{r['stall_cycles']} cf {r['closed_form_compute']} dram i/f/o "
              f"{r['ifmap_dram_reads']}/{r['filter_dram_reads']}/{r['ofmap_dram_writes']} "
              f"peak bw i/f {r['peak_ifmap_dram_bw']}/{r['peak_filter_dram_bw']} "
              f"({r['sim_wall_s']} s)", flush=True)
    print(f"done: {len(rows)} rows in {args.out}, {time.time() - start:.0f} s")
    for s in skipped:
        print("skipped:", *s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
