#!/usr/bin/env python3
"""
run_zigzag.py -- per-layer reference figures from ZigZag for ResNet-18 on the
bundled "tpu_like" accelerator.

What it does
  * Runs ZigZag's documented entry point zigzag.api.get_hardware_performance_zigzag
    on the ResNet-18 ONNX, the tpu_like hardware YAML and the tpu_like mapping
    YAML that ship inside the zigzag-dse wheel (located through the installed
    package, nothing is copied), with opt="latency", lpf_limit=6, the LOMA
    temporal-mapping search and the API defaults otherwise. Output of ZigZag
    itself (JSON dumps, pickle) goes to --dump (default /tmp/zigzag-work/out).
  * Times the whole-network call (wall and CPU seconds) and counts how many
    cost-model evaluations (mappings) ZigZag ran, by wrapping the cost-model
    stage's run method with a counter.
  * Writes one CSV row per workload layer, in network order, plus a final
    TOTAL row with ZigZag's summed figures:
      layer, op_type, K, C, OY, OX, FY, FX, stride, G,
      latency_cycles        (ZigZag latency_total2: computation + stalls +
                             initial on-loading + final off-loading + drain),
      ideal_cycles          (ceil(MACs / 1024), 100 % utilisation),
      ideal_temporal_cycles (temporal loop count under the chosen spatial
                             mapping),
      compute_with_stall_cycles (latency_total0), onloading_cycles,
      offloading_cycles, energy_pJ, mac_energy_pJ, mem_energy_pJ, macs,
      spatial_mapping, zigzag_version
  * --from-pickle re-extracts the CSV from a saved pickle without re-running.

Usage (see README.md in this folder):
  /tmp/venv-zigzag/bin/python run_zigzag.py [--out zigzag-figures.csv]
      [--dump /tmp/zigzag-work/out] [--from-pickle FILE]
"""

import argparse
import csv
import importlib.metadata
import json
import os
import pickle
import re
import sys
import time

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

HERE = os.path.dirname(os.path.abspath(__file__))

COLUMNS = [
    "layer", "op_type", "K", "C", "OY", "OX", "FY", "FX", "stride", "G",
    "latency_cycles", "ideal_cycles", "ideal_temporal_cycles",
    "compute_with_stall_cycles", "onloading_cycles", "offloading_cycles",
    "energy_pJ", "mac_energy_pJ", "mem_energy_pJ", "macs",
    "spatial_mapping", "zigzag_version",
]


def bundled_inputs():
    import zigzag
    base = os.path.join(os.path.dirname(zigzag.__file__), "inputs")
    return (os.path.join(base, "workload", "resnet18.onnx"),
            os.path.join(base, "hardware", "tpu_like.yaml"),
            os.path.join(base, "mapping", "tpu_like.yaml"))


def run(dump):
    from zigzag import api
    from zigzag.stages.evaluation import cost_model_evaluation as cme_mod

    counter = {"n": 0}
    orig_run = cme_mod.CostModelStage.run

    def counting_run(self, *a, **kw):
        counter["n"] += 1
        yield from orig_run(self, *a, **kw)

    cme_mod.CostModelStage.run = counting_run
    workload, accel, mapping = bundled_inputs()
    os.makedirs(dump, exist_ok=True)
    t0, c0 = time.time(), time.process_time()
    energy, latency, cmes = api.get_hardware_performance_zigzag(
        workload=workload, accelerator=accel, mapping=mapping,
        opt="latency", dump_folder=dump, lpf_limit=6,
        pickle_filename=os.path.join(dump, "cmes.pickle"),
        loma_show_progress_bar=False)
    wall, cpu = time.time() - t0, time.process_time() - c0
    cme_mod.CostModelStage.run = orig_run
    meta = {"total_energy_pJ": energy, "total_latency_cycles": latency,
            "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "cost_model_evaluations": counter["n"],
            "workload": workload, "accelerator": accel, "mapping": mapping}
    return cmes, meta


def dim_size(layer, name):
    for d, v in layer.layer_dim_sizes.items():
        if d.name == name:
            return int(v)
    return 1


def stride_of(layer):
    rel = " ".join(str(r) for r in getattr(layer, "dimension_relations", []))
    m = re.search(r"ix\s*=\s*(\d+)\s*\*\s*ox", rel.lower())
    return int(m.group(1)) if m else ""


def rows_from(cmes, version):
    total_cme, per_layer = cmes[0]
    rows = []
    for cme, (layer, _extra) in per_layer:
        sm = getattr(layer, "spatial_mapping", None)
        rows.append({
            "layer": getattr(layer, "name", str(layer)),
            "op_type": getattr(layer, "type", ""),
            "K": dim_size(layer, "K"), "C": dim_size(layer, "C"),
            "OY": dim_size(layer, "OY"), "OX": dim_size(layer, "OX"),
            "FY": dim_size(layer, "FY"), "FX": dim_size(layer, "FX"),
            "stride": stride_of(layer), "G": dim_size(layer, "G"),
            "latency_cycles": round(cme.latency_total2, 3),
            "ideal_cycles": cme.ideal_cycle,
            "ideal_temporal_cycles": cme.ideal_temporal_cycle,
            "compute_with_stall_cycles": round(cme.latency_total0, 3),
            "onloading_cycles": round(cme.latency_total1 - cme.latency_total0, 3),
            "offloading_cycles": round(cme.latency_total2 - cme.latency_total1, 3),
            "energy_pJ": f"{cme.energy_total:.6g}",
            "mac_energy_pJ": f"{cme.mac_energy:.6g}",
            "mem_energy_pJ": f"{cme.mem_energy:.6g}",
            "macs": int(layer.total_mac_count),
            "spatial_mapping": str(sm).replace("\n", " ") if sm is not None else "",
            "zigzag_version": version,
        })
    rows.append({
        "layer": "TOTAL", "op_type": "", "K": "", "C": "", "OY": "", "OX": "",
        "FY": "", "FX": "", "stride": "", "G": "",
        "latency_cycles": round(total_cme.latency_total2, 3),
        "ideal_cycles": total_cme.ideal_cycle,
        "ideal_temporal_cycles": total_cme.ideal_temporal_cycle,
        "compute_with_stall_cycles": round(total_cme.latency_total0, 3),
        "onloading_cycles": round(total_cme.latency_total1 - total_cme.latency_total0, 3),
        "offloading_cycles": round(total_cme.latency_total2 - total_cme.latency_total1, 3),
        "energy_pJ": f"{total_cme.energy_total:.6g}",
        "mac_energy_pJ": f"{total_cme.mac_energy:.6g}",
        "mem_energy_pJ": f"{total_cme.mem_energy:.6g}",
        "macs": sum(int(r["macs"]) for r in rows),
        "spatial_mapping": "", "zigzag_version": version,
    })
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--out", default=os.path.join(HERE, "zigzag-figures.csv"))
    ap.add_argument("--dump", default="/tmp/zigzag-work/out")
    ap.add_argument("--from-pickle", default="")
    args = ap.parse_args()
    version = importlib.metadata.version("zigzag-dse")

    if args.from_pickle:
        with open(args.from_pickle, "rb") as f:
            cmes = pickle.load(f)
        meta = {}
    else:
        cmes, meta = run(args.dump)
        with open(os.path.join(args.dump, "all_cmes_with_total.pickle"), "wb") as f:
            pickle.dump(cmes, f)
        meta["zigzag_version"] = version
        with open(os.path.join(args.dump, "run-meta.json"), "w") as f:
            json.dump(meta, f, indent=1)
        print(json.dumps(meta, indent=1))

    rows = rows_from(cmes, version)
    with open(args.out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
