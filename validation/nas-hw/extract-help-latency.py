#!/usr/bin/env python3
"""Per-cell NAS-Bench-201 latencies of other devices, from HELP's repository (Lee, Lee and Hwang,
"HELP: Hardware-Adaptive Efficient Latency Prediction for NAS via Meta-Learning", NeurIPS 2021;
https://github.com/HayeonLee/HELP, MIT licence, commit 45f70eb). Its files
data/nasbench201/latency/DEVICE.pt hold one latency in milliseconds per cell, in the order of
data/nasbench201/str_arch2idx.pt (cell text -> index). pixel3, raspi4, eyeriss and fpga are
HW-NAS-Bench's figures (Li et al., ICLR 2021; https://github.com/GATECH-EIC/HW-NAS-Bench, MIT
licence) as HELP ships them; gold_6226 (an Intel Xeon Gold 6226 CPU, batch 1) is HELP's own
measurement. The .pt files are torch.save zips of plain pickles (a list of floats, a dict), read
here without torch.

Usage: extract-help-latency.py HELP_CHECKOUT OUTPUT_DIR
Writes OUTPUT_DIR/help-nb201-DEVICE-latency.csv: architecture,latency_ms (15,625 rows each).
"""
import io, pickle, subprocess, sys, zipfile

DEVICES = {"pixel3": "Google Pixel 3 phone (HW-NAS-Bench, TFLite)", "raspi4": "Raspberry Pi 4 CPU (HW-NAS-Bench, TFLite)",
           "eyeriss": "Eyeriss ASIC accelerator (HW-NAS-Bench, Accelergy+Timeloop)", "fpga": "FPGA accelerator (HW-NAS-Bench, Vivado HLS)",
           "gold_6226": "Intel Xeon Gold 6226 CPU, batch 1 (HELP)"}

def load(repo, path):
    blob = subprocess.run(["git", "-C", repo, "show", "HEAD:" + path], check=True, capture_output=True).stdout
    z = zipfile.ZipFile(io.BytesIO(blob))
    return pickle.loads(z.read([n for n in z.namelist() if n.endswith("data.pkl")][0]))

def main():
    repo, out = sys.argv[1], sys.argv[2]
    index = load(repo, "data/nasbench201/str_arch2idx.pt")
    archs = sorted(index, key=index.get)
    assert len(archs) == 15625 and [index[a] for a in archs] == list(range(15625))
    for device in DEVICES:
        lat = load(repo, "data/nasbench201/latency/%s.pt" % device)
        assert len(lat) == 15625, (device, len(lat))
        with open("%s/help-nb201-%s-latency.csv" % (out, device), "w") as f:
            f.write("architecture,latency_ms\n")
            for a, v in zip(archs, lat):
                f.write("%s,%.9g\n" % (a, float(v)))

if __name__ == "__main__":
    main()
