"""Validate the verbatim row prefixes in raw/windows/wNNNNNNN.txt and write them to
raw/mcu_rows_part3.txt / part4.txt in the compact format used by expand.py.

Each wNNNNNNN.txt line is the first 9 comma-separated fields of one complete row of
export_corrected/hw_metrics.csv (ankilab/NATS-Bench-MCU @ c92adc0e), copied verbatim from
the read_file window starting at character offset NNNNNNN:
  arch_idx,arch,int8_kb,<int8_kb+277.583>,366.2861,latency_s,<current_uA>,power_mW,energy_mJ
Fields 4 and 7 are kept only as redundant checks: field4 - int8_kb must be 277.583, and
power_mW must equal round(current_uA*3.3/1000, 4)."""
import glob, os, re, sys
here = os.path.dirname(os.path.abspath(__file__)); raw = os.path.dirname(here)
OP = {'none': 'n', 'skip_connect': 's', 'nor_conv_1x1': '1', 'nor_conv_3x3': '3', 'avg_pool_3x3': 'a'}
NAMES = '|'.join(OP)
ARCH = re.compile(rf'^\|({NAMES})~0\|\+\|({NAMES})~0\|({NAMES})~1\|\+\|({NAMES})~0\|({NAMES})~1\|({NAMES})~2\|$')
NUM = re.compile(r'^-?\d+(\.\d+)?$')
errors = 0; warn = 0; seen = {}; out = {3: [], 4: []}
def err(*a):
    global errors; errors += 1; print('ERROR', *a)
for f in sorted(glob.glob(os.path.join(here, 'w*.txt'))):
    off = int(os.path.basename(f)[1:-4]); prev = -1; rows = []
    for ln, line in enumerate(open(f), 1):
        line = line.strip()
        if not line: continue
        p = line.split(',')
        if len(p) != 9: err(f, ln, 'field count', len(p)); continue
        idx, arch, i8, c4, c5, lat, cur, pw, en = p
        if not idx.isdigit(): err(f, ln, 'idx'); continue
        idx = int(idx)
        if not idx > prev: err(f, ln, 'idx not increasing', idx)
        prev = idx
        m = ARCH.match(arch)
        if not m: err(f, ln, 'bad arch', arch); continue
        for v in (i8, c4, c5, lat, cur, pw, en):
            if not NUM.match(v): err(f, ln, 'bad number', v)
        code = ''.join(OP[g] for g in m.groups())
        if abs(float(c4) - float(i8) - 277.583) > 6e-4: err(f, ln, idx, 'field4-int8', float(c4) - float(i8))
        if c5 != '366.2861': err(f, ln, idx, 'field5', c5)
        if abs(round(float(cur) * 3.3 / 1000, 4) - float(pw)) > 1.01e-4: err(f, ln, idx, 'power vs current*3.3', float(cur) * 3.3 / 1000, pw)
        rel = abs(float(pw) * float(lat) - float(en)) / float(en)
        if rel > 1e-3: warn += 1; print('WARN energy vs power*latency', idx, f'{rel:.4%}')
        if idx in seen:
            if seen[idx] != (code, i8, lat, pw, en): err(f, ln, idx, 'duplicate idx with different values')
            continue
        seen[idx] = (code, i8, lat, pw, en)
        rows.append(f'{idx} {code} {i8} {lat} {pw} {en}')
    part = 3 if off < 3600000 else 4
    out[part].append(f'# chunk offset {off} (verbatim prefixes in windows/{os.path.basename(f)})')
    out[part] += rows
hdr = '# arch_idx code int8_kb latency_s power_mW energy_mJ   (code: ops on edges 1<-0,2<-0,2<-1,3<-0,3<-1,3<-2; n=none s=skip_connect 1=nor_conv_1x1 3=nor_conv_3x3 a=avg_pool_3x3)\n'
# existing indices from part1/part2 must not be repeated
old = set()
for f in ('mcu_rows_part1.txt', 'mcu_rows_part2.txt'):
    for line in open(os.path.join(raw, f)):
        if line.strip() and not line.startswith('#'): old.add(int(line.split()[0]))
dup = sorted(old & set(seen))
if dup: err('indices already in part1/part2:', dup[:20])
print(f'{len(seen)} new rows, {errors} errors, {warn} energy warnings (>0.1%)')
if errors: sys.exit(1)
for k, lines in out.items():
    with open(os.path.join(raw, f'mcu_rows_part{k}.txt'), 'w') as fh:
        fh.write(hdr + '\n'.join(lines) + '\n')
