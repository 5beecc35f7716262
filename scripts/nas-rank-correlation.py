#!/usr/bin/env python3
"""Spearman rank correlation between Intarsia's per-architecture costs (a PREFIX-space-costs.csv
written by `intarsia nas SPEC --space-costs`) and published per-cell hardware figures of the same
space (a CSV with an `arch` column, e.g. validation/nas-hw/nats-bench-mcu-nrf5340-all.csv).

Usage: nas-rank-correlation.py [--task TASK] SPACE_COSTS.csv PUBLISHED.csv OURS_COLUMN:PUBLISHED_COLUMN [...]
(--task keeps one task's rows of SPACE_COSTS.csv, e.g. cifar10 for figures measured on CIFAR-10.)
Prints one CSV row per sub-accelerator and column pair: the cells compared, rho on all of them,
and rho on the cells without dead computation (an edge whose output never reaches the cell's
output node: converters such as TFLite drop it, Intarsia's model prices it).
No third-party packages: ranks with ties averaged, Pearson on the ranks.
"""
import csv
import sys


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    r = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    n = len(ra)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra)
    vb = sum((y - mb) ** 2 for y in rb)
    return cov / (va * vb) ** 0.5


EDGES = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]


def has_dead_computation(arch):
    ops = [p.split("~")[0] for node in arch.split("+") for p in node.split("|") if p]
    reached = [True, False, False, False]
    for (a, b), op in zip(EDGES, ops):
        if op != "none" and reached[a]:
            reached[b] = True
    # Nodes whose value reaches node 3 through non-none edges.
    useful = [False, False, False, True]
    for (a, b), op in reversed(list(zip(EDGES, ops))):
        if op != "none" and useful[b]:
            useful[a] = True
    return any(op not in ("none", "skip_connect") and reached[a] and not useful[b] for (a, b), op in zip(EDGES, ops))


def main():
    args = sys.argv[1:]
    task = None
    if args[:1] == ["--task"] and len(args) > 1:
        task, args = args[1], args[2:]
    if len(args) < 3:
        sys.exit(__doc__)
    published = {r["arch"]: r for r in csv.DictReader(open(args[1]))}
    ours = {}
    for r in csv.DictReader(open(args[0])):
        if r["architecture"] in published and (task is None or r["task"] == task):
            ours.setdefault((r["task"], r["sub_accelerator"]), {})[r["architecture"]] = r
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["task", "sub_accelerator", "ours", "published", "cells", "spearman_all", "cells_without_dead_computation", "spearman_without_dead_computation"])
    for pair in args[2:]:
        mine, theirs = pair.split(":")
        for (task, unit), rows in ours.items():
            archs = sorted(rows)
            live = [a for a in archs if not has_dead_computation(a)]
            rho = spearman([float(rows[a][mine]) for a in archs], [float(published[a][theirs]) for a in archs])
            rho_live = spearman([float(rows[a][mine]) for a in live], [float(published[a][theirs]) for a in live])
            w.writerow([task, unit, mine, theirs, len(archs), f"{rho:.4f}", len(live), f"{rho_live:.4f}"])


if __name__ == "__main__":
    main()
