#!/usr/bin/env python3
"""
h12_row_order.py -- why heldout2's h12 was 33% low: filter prefetch counts of SCALE-Sim's read
scratchpad window (memory/read_buffer.py) on weight-stationary matrix products, with a fold's
filter rows (read last row first) looked up two ways:

  old: each line of the fold once, top line down (the model before the row-order fix)
  new: row by row, each row's lines left to right, as service_reads walks a demand row

against the prefetches SCALE-Sim made, recovered from its recorded filter DRAM reads
(first active half + prefetches x prefetch half rounded up to the bandwidth). Window only (no
timing); reads scalesim-h12-variants.csv and scalesim-heldout2.csv. No SCALE-Sim needed.

  python3 validation/peers/h12_row_order.py
"""
import csv, math, os
def run(sr, sc, r, c, S, new):
    line = max(1, -(-S//100)); act = -(-S//2); pre = S-act; e = sr*sc
    lines = e//line+1; active = min(lines, -(-act//line)); step = min(lines-active, -(-pre//line))
    start = 0; n = 0
    def holds(x): return (x-start) % lines < active
    def demand(x):
        nonlocal start, n
        if step == 0: return
        while not holds(x): start = (start+step) % lines; n += 1
    rf, cf = -(-sr//r), -(-sc//c)
    for fc in range(cf):
        cv = c if fc < cf-1 else sc-(cf-1)*c
        for fr in range(rf):
            rv = r if fr < rf-1 else sr-(rf-1)*r
            q = sr*c*fc + fr*r*cv
            if new:
                for j in range(rv-1, -1, -1):
                    for x in range((q+j*cv)//line, (q+(j+1)*cv-1)//line+1): demand(x)
            else:
                for x in range((q+rv*cv-1)//line, q//line-1, -1): demand(x)
    return n, pre
for f in ["scalesim-h12-variants.csv", "scalesim-heldout2.csv"]:
  for row in csv.DictReader(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), f))):
    if row["dataflow"] != "ws" or row["ofmap_h"] != "1" or row["filter_h"] != "1": continue
    sr, sc = int(row["channels"]), int(row["num_filter"]); S = int(row["sram_kb"])*1024
    o, pre = run(sr, sc, int(row["array_rows"]), int(row["array_cols"]), S, False)
    nw, _ = run(sr, sc, int(row["array_rows"]), int(row["array_cols"]), S, True)
    bw = int(row["bw_words"]); per = math.ceil(pre/bw)*bw
    first = min(math.ceil(-(-S//2)/bw)*bw, sr*sc)
    ss = (int(row["filter_dram_reads"]) - first)/per
    print(row["layer"], row["sram_kb"], bw, row["array_rows"], row["array_cols"], "old", o, "new", nw, "scalesim", ss)
