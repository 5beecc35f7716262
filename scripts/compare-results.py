#!/usr/bin/env python3
"""Compares the bundled results in the working tree with a git revision, wall-time figures aside.

Usage: scripts/compare-results.py [REV]   (REV defaults to HEAD)

Every tracked file under results/ and validation/nas-hw/ that differs from REV is compared with
wall-time figures masked: CSV columns whose name contains "seconds", the "seconds" key of the
.run.json files, and "N.NN s" anywhere in text, HTML and CSV cells (NAS summaries, the HTML
report's search line). An oracle cache (*oracle-cache.jsonl) may only grow: lines appended by a
run from another folder (its key names the absolute spec folder) are reported, not failed. Prints each file that still differs with its first
differing line, and exits 1 if any does (0 when every result is byte-identical wall time aside).
"""
import csv, io, json, re, subprocess, sys

rev = sys.argv[1] if len(sys.argv) > 1 else "HEAD"
roots = ["results", "validation/nas-hw"]
changed = subprocess.run(["git", "diff", "--name-only", rev, "--"] + roots,
                         capture_output=True, text=True, check=True).stdout.split()
untracked = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "--"] + roots,
                           capture_output=True, text=True, check=True).stdout.split()

def masked(path, text):
    if path.endswith(".json"):
        try:
            d = json.loads(text)
            if isinstance(d, dict):
                d.pop("seconds", None)
            return json.dumps(d, sort_keys=True, indent=1)
        except ValueError:
            return text
    if path.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(text)))
        if rows:
            drop = {i for i, name in enumerate(rows[0]) if "seconds" in name}
            rows = [[c if i not in drop else "*" for i, c in enumerate(r)] for r in rows]
        return re.sub(r"\b[0-9]+\.[0-9]+ s\b", "* s", "\n".join(",".join(r) for r in rows))
    return re.sub(r"\b[0-9]+\.[0-9]+ s\b", "* s", text)

bad = 0
for path in changed:
    old = subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True, text=True)
    try:
        new = open(path).read()
    except FileNotFoundError:
        print(f"missing now: {path}"); bad += 1; continue
    if old.returncode != 0:
        print(f"new file: {path}"); bad += 1; continue
    a, b = masked(path, old.stdout).splitlines(), masked(path, new).splitlines()
    if path.endswith("oracle-cache.jsonl") and b[:len(a)] == a:
        print(f"note: {path}: {len(b) - len(a)} line(s) appended (the cache key holds the spec folder)")
        continue
    if a != b:
        bad += 1
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        print(f"differs: {path} (line {first + 1})")
        print(f"  {rev}: {a[first] if first < len(a) else '<end>'}")
        print(f"  now: {b[first] if first < len(b) else '<end>'}")
for path in untracked:
    print(f"untracked output: {path}"); bad += 1
print(f"{len(changed)} file(s) changed, {bad} differ beyond wall time" if bad or changed
      else "results/ byte-identical to " + rev)
sys.exit(1 if bad else 0)
