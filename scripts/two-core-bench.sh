#!/bin/bash
# One core against two (BENCHMARKS.md, "Two cores"): for each command, five pairs of runs
# alternating `taskset -c 0 intarsia CMD --jobs 1` and `intarsia CMD --jobs 2`; prints the elapsed
# seconds of each run. Usage: scripts/two-core-bench.sh [INTARSIA_BINARY] (default: the release build).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-.build/release/intarsia}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N); python3 -c "print(f'{$e - $s:.2f}')"; }
for cmd in "search designs/bench/gpt2-large-space-u280.yaml --no-report -q -o $out/bench.csv" \
           "search designs/asic/cifar-unet-hetero-28nm.yaml --no-report -q -o $out/asic.csv" \
           "search designs/asic/resnet18-32x32-scalesim.yaml --no-report -q -o $out/scalesim.csv" \
           "nas designs/nas/nb201-three-task-asic.yaml --strategy exact -o $out/nas"; do
  one=(); two=()
  for _ in 1 2 3 4 5; do
    one+=("$(run taskset -c 0 "$B" $cmd --jobs 1)"); two+=("$(run "$B" $cmd --jobs 2)")
  done
  echo "${cmd%% -o *} | one core: ${one[*]} | two cores: ${two[*]}"
done
