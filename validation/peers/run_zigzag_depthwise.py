#!/usr/bin/env python3
"""
run_zigzag_depthwise.py -- per-layer reference figures from ZigZag for two depthwise-separable
networks (MobileNetV2 and MNASNet-1.0, imported from ONNX) on the bundled "tpu_like" accelerator.

What it does
  * Takes the shapes-only ONNX models written by scripts/make-depthwise-onnx.py
    (designs/onnx/mobilenetv2-shapes.onnx, designs/onnx/mnasnet1_0-shapes.onnx). ZigZag's ONNX
    parser reads every activation shape from the graph's value_info, so the script runs
    onnx.shape_inference.infer_shapes on each model and saves that copy (still without weight
    data: ZigZag reads the initializers' dims only) as <dump>/<net>/<net>-inferred.onnx.
  * Runs ZigZag's documented entry point zigzag.api.get_hardware_performance_zigzag on it, with
    the tpu_like hardware and mapping YAMLs that ship inside the zigzag-dse wheel (located
    through the installed package, nothing is copied), opt="latency", lpf_limit=6, the LOMA
    temporal-mapping search and the API defaults otherwise -- exactly as run_zigzag.py does for
    ResNet-18. One network at a time, in one process.
  * Times each whole-network call (wall and CPU seconds) and counts ZigZag's cost-model
    evaluations (run_zigzag.run does both).
  * Writes zigzag-<net>.csv: the columns of zigzag-figures.csv (run_zigzag.COLUMNS), then
      data_offloading_cycles, systolic_drain_cycles (offloading_cycles = their sum),
      stall_slack_cycles (ZigZag's stall_slack_comb; compute_with_stall = ideal_temporal + it),
      input_onload_cycles, weight_onload_cycles (each operand's initial loading over its
        slowest link; onloading_cycles combines them, here always their maximum),
      weight_dram_periods (how many times the weights' DRAM-level loops refill the PE
        registers: 1 = all weights preloaded, >1 = streamed during computation),
      output_overlapped_cycles, weight_overlapped_cycles (cycles of the final output write-back
        and of the weight preload that ZigZag moves into the DRAM port's idle time during
        computation, so they are not in off/onloading_cycles),
      spatial_utilization (ideal_cycles / ideal_temporal_cycles),
      temporal_mapping (ZigZag's loops per operand and memory level, innermost first),
      and per operand (W, I, O) and memory level (rf_128B, rf_2B, sram_2MB, dram):
        <op>@<mem>_pJ           energy ZigZag charges to that operand at that level,
        <op>@<mem>_rd_to_low    reads  towards the array        (ZigZag memory_word_access,
        <op>@<mem>_wr_from_high writes of data coming from above  counted in words of the
        <op>@<mem>_rd_to_high   reads  towards the level above    level's maximum port width:
        <op>@<mem>_wr_from_low  writes of data coming from below  8/16/2048/64 bit),
    one row per Conv/Gemm node (layer = the ONNX node name) in network order, and a TOTAL row
    (ZigZag's summed CME for the figures it sums, column sums for the per-level columns).
  * --from-pickle re-extracts a CSV from a saved pickle without re-running.

Usage (see README.md in this folder):
  /tmp/venv-zigzag/bin/python run_zigzag_depthwise.py [--nets mobilenetv2,mnasnet1_0]
      [--dump /tmp/zigzag-work/depthwise] [--from-pickle FILE --nets NET]
"""

import argparse
import csv
import importlib.metadata
import json
import os
import pickle
import sys

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run_zigzag  # noqa: E402  (our own ResNet-18 driver: run(), rows_from(), COLUMNS)

ONNX_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "designs", "onnx"))
NETS = {"mobilenetv2": "mobilenetv2-shapes.onnx", "mnasnet1_0": "mnasnet1_0-shapes.onnx"}
DIRS = [("rd_out_to_low", "rd_to_low"), ("wr_in_by_high", "wr_from_high"),
        ("rd_out_to_high", "rd_to_high"), ("wr_in_by_low", "wr_from_low")]
OP_ORDER = {"W": 0, "I": 1, "O": 2}
EXTRA = ["data_offloading_cycles", "systolic_drain_cycles", "stall_slack_cycles",
         "input_onload_cycles", "weight_onload_cycles", "weight_dram_periods",
         "output_overlapped_cycles", "weight_overlapped_cycles",
         "spatial_utilization", "temporal_mapping"]


def inferred_copy(net, dump):
    import onnx
    src = os.path.join(ONNX_DIR, NETS[net])
    model = onnx.shape_inference.infer_shapes(onnx.load(src), strict_mode=True)
    os.makedirs(dump, exist_ok=True)
    path = os.path.join(dump, f"{net}-inferred.onnx")
    onnx.save(model, path)
    return src, path


def level_columns(cme, layer):
    """{column: value} for each operand and memory level ZigZag used for this layer."""
    from zigzag.hardware.architecture.memory_port import DataDirection
    out = {}
    links = layer.memory_operand_links
    hierarchy = cme.accelerator.memory_hierarchy
    for layer_op, accesses in cme.memory_word_access.items():
        levels = hierarchy.get_memory_levels(mem_op=links.layer_to_mem_op(layer_op))
        energies = cme.mem_energy_breakdown[layer_op]
        for lvl, (acc, level, e) in enumerate(zip(accesses, levels, energies)):
            key = f"{layer_op.name}@{level.name}"
            out[(OP_ORDER.get(layer_op.name, 9), lvl, key + "_pJ")] = f"{e:.6g}"
            for direction, short in DIRS:
                val = acc.get(DataDirection(direction))
                out[(OP_ORDER.get(layer_op.name, 9), lvl, f"{key}_{short}")] = int(val)
    return out


def dram_port_figures(cme, layer):
    """Initial loading per input operand, weight refill periods and the cycles of each operand's
    whole-tensor transfer that ZigZag overlaps with computation on the off-chip (top) level."""
    from zigzag.hardware.architecture.memory_port import DataDirection
    from zigzag.mapping.data_movement import DataMoveAttr
    out = {}
    for op_name, col in (("I", "input_onload_cycles"), ("W", "weight_onload_cycles")):
        ops = [op for op in cme.data_loading_cc_pair_combined_per_op if op.name == op_name]
        out[col] = round(sum(cme.data_loading_cc_pair_combined_per_op[ops[0]]), 3) if ops else 0
    out["weight_dram_periods"] = 0
    for op in layer.layer_operands:
        if op.name == "W":
            top = cme.mapping_int.unit_mem_data_movement[op][-1]
            out["weight_dram_periods"] = top.get_attribute(DataMoveAttr.DATA_TRANS_PERIOD_COUNT).get(
                DataDirection.RD_OUT_TO_LOW)
    top_ports = {str(p) for p in cme.mem_level_list[-1].ports}
    overlapped = {"O": 0.0, "I2": 0.0}
    for port, per_op in cme.loading_cycles_during_computation.items():
        if str(port) in top_ports:
            for mem_op, cycles in per_op.items():
                if str(mem_op) in overlapped:
                    overlapped[str(mem_op)] += cycles
    out["output_overlapped_cycles"] = round(overlapped["O"], 3)
    out["weight_overlapped_cycles"] = round(overlapped["I2"], 3)
    return out


def rows_for(cmes, version):
    total_cme, per_layer = cmes[0]
    base = run_zigzag.rows_from(cmes, version)
    levels, cols = [], {}
    for (cme, (layer, _extra)), row in zip(per_layer, base):
        row["data_offloading_cycles"] = round(cme.data_offloading_cycle, 3)
        row["systolic_drain_cycles"] = cme.systolic_drain_cycle
        row["stall_slack_cycles"] = round(cme.stall_slack_comb, 3)
        row.update(dram_port_figures(cme, layer))
        row["spatial_utilization"] = f"{cme.mac_spatial_utilization:.6g}"
        row["temporal_mapping"] = str(cme.temporal_mapping).replace("\n", " ")
        lc = level_columns(cme, layer)
        cols.update({k: None for k in lc})
        levels.append({k[2]: v for k, v in lc.items()})
    level_names = [k[2] for k in sorted(cols)]
    for row, lc in zip(base, levels):
        row.update({c: lc.get(c, 0) for c in level_names})
    tot = base[-1]
    tot["data_offloading_cycles"] = round(sum(float(r["data_offloading_cycles"]) for r in base[:-1]), 3)
    tot["systolic_drain_cycles"] = sum(int(r["systolic_drain_cycles"]) for r in base[:-1])
    for c in ("stall_slack_cycles", "input_onload_cycles", "weight_onload_cycles",
              "output_overlapped_cycles", "weight_overlapped_cycles"):
        tot[c] = round(sum(float(r[c]) for r in base[:-1]), 3)
    tot["weight_dram_periods"] = ""
    tot["spatial_utilization"] = f"{total_cme.ideal_cycle / total_cme.ideal_temporal_cycle:.6g}"
    tot["temporal_mapping"] = ""
    for c in level_names:
        vals = [float(r[c]) for r in base[:-1]]
        tot[c] = f"{sum(vals):.6g}" if c.endswith("_pJ") else int(sum(vals))
    return base, run_zigzag.COLUMNS + EXTRA + level_names


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--nets", default="mobilenetv2,mnasnet1_0")
    ap.add_argument("--dump", default="/tmp/zigzag-work/depthwise")
    ap.add_argument("--outdir", default=HERE)
    ap.add_argument("--from-pickle", default="")
    args = ap.parse_args()
    version = importlib.metadata.version("zigzag-dse")
    for net in args.nets.split(","):
        dump = os.path.join(args.dump, net)
        if args.from_pickle:
            with open(args.from_pickle, "rb") as f:
                cmes = pickle.load(f)
        else:
            src, path = inferred_copy(net, dump)
            # run_zigzag.run takes its workload from bundled_inputs(); point it at this network.
            original = run_zigzag.bundled_inputs
            run_zigzag.bundled_inputs = lambda: (path,) + original()[1:]
            try:
                cmes, meta = run_zigzag.run(dump)
            finally:
                run_zigzag.bundled_inputs = original
            with open(os.path.join(dump, "all_cmes_with_total.pickle"), "wb") as f:
                pickle.dump(cmes, f)
            meta.update({"network": net, "onnx": src, "zigzag_version": version,
                         "layers": len(cmes[0][1])})
            with open(os.path.join(dump, "run-meta.json"), "w") as f:
                json.dump(meta, f, indent=1)
            print(json.dumps(meta, indent=1), flush=True)
        rows, columns = rows_for(cmes, version)
        out = os.path.join(args.outdir, f"zigzag-{net}.csv")
        with open(out, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=columns)
            w.writeheader()
            w.writerows(rows)
        print(f"wrote {len(rows)} rows to {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
