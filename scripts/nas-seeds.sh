#!/usr/bin/env bash
# The issue-5 check over a fixed set of seeds (1 to 10) on the bundled three-task specs (the ASIC
# and the FPGA): every sampling strategy (random, evolution, the REINFORCE controller, the
# multi-objective search) and the ablations (evolution, the controller and the multi-objective
# search without the cost-model aids, the local search alone), 5,000 evaluations each, against
# the exact optimum. Writes results/nas/nb201-three-task-asic-seeds.csv (per
# strategy and seed: best weighted accuracy, evaluations to come within 0.5 points, wall time),
# results/nas/nb201-three-task-asic-seeds-convergence.csv (best so far every 50 evaluations) and
# the table printed, results/nas/nb201-three-task-asic-seeds.txt. Columns in docs/NAS.md.
# Everything but the seconds column is deterministic.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product intarsia
bin=.build/release/intarsia
mkdir -p results/nas
"$bin" nas designs/nas/nb201-three-task-asic.yaml --seeds 1-10 > results/nas/nb201-three-task-asic-seeds.txt 2>/dev/null
"$bin" nas designs/nas/nb201-three-task-fpga.yaml --seeds 1-10 > results/nas/nb201-three-task-fpga-seeds.txt 2>/dev/null
echo "wrote results/nas/nb201-three-task-{asic,fpga}-seeds.csv, -seeds-convergence.csv, -seeds-convergence.svg, -seeds.txt"
