#!/usr/bin/env python3
"""Draw a seeded held-out set of conv / depthwise layers, run MAESTRO on each under the
same two mapping templates and hardware sweep as the calibration set, and write a CSV
with the same columns as maestro-calibration.csv.

usage: maestro-heldout.py MAESTRO_BIN OUT_CSV [--seed 7331] [--count 40] [--dw 8]
                          [--log LOG_CSV] [--list]

Layers (seeded, `random.Random(seed)`):
  * count-dw ordinary convolutions: K, C log-uniform in 8..1024, R=S in {1,3,5,7},
    square output 7..112 (log-uniform), stride 2 with probability 0.3 else 1.
  * dw depthwise convolutions (MAESTRO layer type DSCONV, K: 1, C = channels):
    C log-uniform 16..1024, R=S in {3,5,7}, output 7..112, stride 1 or 2 (p 0.5).
Sweep: dataflow ws/os x PEs 64/256/1024 x NoC bandwidth 1000/64/16, as in the
calibration set.  The ws/os templates for ordinary convolutions are imported from
/work/shared/data/maestro/run_maestro.py (`--templates` to point elsewhere).
Depthwise templates (no K directive: MAESTRO's DSCONV has no K dimension in its tensors):
  ws-dw: SpatialMap(c,c) C; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
         TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X; Cluster(c, P); SpatialMap(1,1) C;
         TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X; TemporalMap(Sz(R),Sz(R)) R;
         TemporalMap(Sz(S),Sz(S)) S;            (c channels per cluster, 1 channel per PE)
  os-dw: the os template with its `TemporalMap(1,1) K;` removed (as in MAESTRO's shipped
         MobileNetV2_yxp_os.m DSCONV layers).
Depthwise rows have layer names starting with `dw_` and K = 1.
"""
import argparse, csv, importlib.util, math, os, random, subprocess, sys, tempfile, time

FIELDS = ["layer", "K", "C", "R", "S", "outY", "outX", "stride", "dataflow", "pes", "noc_bw",
          "runtime_cycles", "energy_nj", "macs", "throughput", "input_l2_read", "filter_l2_read",
          "output_l2_write"]
PES = (64, 256, 1024)
NOC_BWS = (1000, 64, 16)


def loguni(rng, lo, hi):
    return int(round(math.exp(rng.uniform(math.log(lo), math.log(hi)))))


def draw_layers(seed, count, n_dw):
    rng = random.Random(seed)
    layers, seen = [], set()
    while len(layers) < count - n_dw:
        K, C = loguni(rng, 8, 1024), loguni(rng, 8, 1024)
        R = rng.choice((1, 3, 5, 7))
        o = loguni(rng, 7, 112)
        st = 2 if rng.random() < 0.3 else 1
        key = (K, C, R, o, st)
        if key in seen:
            continue
        seen.add(key)
        layers.append((f"h{len(layers):02d}_conv", K, C, R, R, o, o, st, "CONV"))
    i = 0
    while i < n_dw:
        C = loguni(rng, 16, 1024)
        R = rng.choice((3, 5, 7))
        o = loguni(rng, 7, 112)
        st = rng.choice((1, 2))
        key = ("dw", C, R, o, st)
        if key in seen:
            continue
        seen.add(key)
        layers.append((f"dw_h{i:02d}", 1, C, R, R, o, o, st, "DSCONV"))
        i += 1
    return layers


def ws_dw(c):
    return f"""SpatialMap({c},{c}) C; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X; Cluster({c}, P); SpatialMap(1,1) C;
TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;"""


def os_dw(c, s):
    return f"""TemporalMap(1,1) C; SpatialMap(Sz(R),1) Y; TemporalMap({c + s - 1},{c}) X;
Cluster({c}, P); SpatialMap(Sz(S),1) X; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;"""


def mapping_text(tpl, layer, df, pes):
    name, K, C, R, S, oy, ox, st, ltype = layer
    iy, ix = (oy - 1) * st + R, (ox - 1) * st + S
    c = 32 if pes == 1024 else 16
    if ltype == "DSCONV":
        body = ws_dw(c) if df == "ws" else os_dw(8, S)
    else:
        body = tpl.ws(c) if df == "ws" else tpl.os_(8, S)
    return f"""Network n {{
Layer L {{
Type: {ltype}
Stride {{ X: {st}, Y: {st} }}
Dimensions {{ K: {K}, C: {C}, R: {R}, S: {S}, Y: {iy}, X: {ix} }}
Dataflow {{
{body}
}}
}}
}}
"""


def run(binary, tpl, layer, df, pes, noc):
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "m.m"), "w").write(mapping_text(tpl, layer, df, pes))
        open(os.path.join(d, "hw.m"), "w").write(tpl.hw_text(pes, noc))
        t0 = time.perf_counter()
        p = subprocess.run([binary, "--HW_file=hw.m", "--Mapping_file=m.m", "--print_res=false",
                            "--print_res_csv_file=true", "--print_log_file=false"], cwd=d,
                           capture_output=True, text=True, timeout=600)
        wall = time.perf_counter() - t0
        out = p.stdout + p.stderr
        warns = [l.strip() for l in out.splitlines() if "WARNING" in l or "rror" in l]
        if p.returncode != 0 or not os.path.exists(os.path.join(d, "m.csv")):
            raise RuntimeError(f"exit {p.returncode}: {out[-300:]}")
        rows = list(csv.DictReader(open(os.path.join(d, "m.csv")).read().splitlines()))
        r = {k.strip(): v.strip() for k, v in rows[0].items() if k is not None}
    return r, wall, p.returncode, warns


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary"); ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7331)
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--dw", type=int, default=8)
    ap.add_argument("--log")
    ap.add_argument("--list", action="store_true", help="only print the drawn layers")
    ap.add_argument("--templates", default="/work/shared/data/maestro/run_maestro.py")
    a = ap.parse_args()
    layers = draw_layers(a.seed, a.count, a.dw)
    if a.list:
        for l in layers:
            print(*l)
        return
    spec = importlib.util.spec_from_file_location("run_maestro", a.templates)
    tpl = importlib.util.module_from_spec(spec); spec.loader.exec_module(tpl)
    binary = os.path.abspath(a.binary)
    log = csv.writer(open(a.log, "w", newline="")) if a.log else None
    if log:
        log.writerow(["layer", "dataflow", "pes", "noc_bw", "wall_s", "returncode", "warnings"])
    n_ok = n_fail = 0
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f); w.writerow(FIELDS)
        for layer in layers:
            for df in ("ws", "os"):
                for pes in PES:
                    for noc in NOC_BWS:
                        try:
                            r, wall, rc, warns = run(binary, tpl, layer, df, pes, noc)
                        except Exception as e:  # record and go on
                            n_fail += 1
                            print("failed", layer[0], df, pes, noc, e, file=sys.stderr)
                            if log:
                                log.writerow([layer[0], df, pes, noc, "", "fail", str(e)[-200:]])
                            continue
                        n_ok += 1
                        if log:
                            log.writerow([layer[0], df, pes, noc, f"{wall:.4f}", rc, " | ".join(warns)])
                        w.writerow(list(layer[:8]) + [df, pes, noc, r.get("Runtime (Cycles)"),
                                   r.get("Activity count-based Energy (nJ)"), r.get("Num MACs"),
                                   r.get("Throughput (MACs/Cycle)"), r.get("input l2 read"),
                                   r.get("filter l2 read"), r.get("output l2 write")])
    print(f"runs ok={n_ok} failed={n_fail}", file=sys.stderr)


if __name__ == "__main__":
    main()
