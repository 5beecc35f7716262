#!/usr/bin/env bash
# Regenerates results/ from the bundled specs: one CSV per InTAR kernel and GPT-2 medium, the
# matched-budget summary, and the validation table.
# With --check, then compares everything regenerated with the committed files, wall-time figures
# aside (scripts/compare-results.py), and fails if any result changed.
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
if [ "${1:-}" = "--check" ]; then check=true; fi
swift build -c release
bin=.build/release/intarsia
mkdir -p results/nas
for spec in designs/intar/*.yaml; do
  "$bin" search "$spec" -q > /dev/null
done
"$bin" summary results/{self-attention,mlp,cnn-4l,vae,gating,gpt2-medium}-u280.csv -o results/intar-hdv-summary.csv > /dev/null
"$bin" validate > results/validation.txt
"$bin" search designs/onnx/resnet18-zcu102.yaml -q > /dev/null
"$bin" nas designs/nas/nb201-three-task-asic.yaml > results/nas/nb201-three-task-asic.txt 2>/dev/null
"$bin" nas designs/nas/nb201-three-task-fpga.yaml > results/nas/nb201-three-task-fpga.txt 2>/dev/null
"$bin" nas designs/nas/nasaic-two-task-asic.yaml > results/nas/nasaic-two-task-asic.txt 2>/dev/null
scripts/nas-seeds.sh
# Rank correlation of the NAS-Bench-201 figures with published measurements (docs/NAS.md).
# Every cell's cost with dead operations executed (as frameworks and HW-NAS-Bench run them) and
# pruned (as TFLite on the microcontroller does; the networks compared with NATS-Bench-MCU).
for s in nb201-space-costs nb201-space-costs-fpga nb201-space-costs-pruned nb201-space-costs-fpga-pruned; do
  "$bin" nas designs/nas/$s.yaml --space-costs 2>/dev/null
done
{
  echo "# Spearman rank correlation of Intarsia's per-cell figures with NATS-Bench-MCU's published nRF5340 measurements (NAS-Bench-201 cells, CIFAR-10; the sample in nats-bench-mcu-nrf5340-all.csv), dead operations pruned as TFLite runs them."
  echo "# Made by: intarsia nas designs/nas/nb201-space-costs{,-fpga}-pruned.yaml --space-costs; scripts/nas-rank-correlation.py (see docs/NAS.md)."
  python3 scripts/nas-rank-correlation.py --task cifar10 results/nas/nb201-space-costs-pruned-space-costs.csv validation/nas-hw/nats-bench-mcu-nrf5340-all.csv latency_ms:latency_s dynamic_energy_mj:energy_mJ
  python3 scripts/nas-rank-correlation.py --task cifar10 results/nas/nb201-space-costs-fpga-pruned-space-costs.csv validation/nas-hw/nats-bench-mcu-nrf5340-all.csv latency_ms:latency_s dynamic_energy_mj:energy_mJ | tail -n +2
} > validation/nas-hw/rank-correlation.csv
for spec in designs/asic/*.yaml; do
  "$bin" search "$spec" > /dev/null
done
# Optimal reconfiguration schedules (GLPK) at InTAR's budgets, and GPT-2 medium at four lengths.
"$bin" schedule designs/intar/self-attention-u280.yaml --set lanes=32 --set compute_units=2 -o results/schedule-self-attention-u280.csv > /dev/null
"$bin" schedule designs/intar/mlp-u280.yaml --set lanes=32 --set compute_units=2 -o results/schedule-mlp-u280.csv > /dev/null
"$bin" schedule designs/intar/cnn-4l-u280.yaml --set lanes=432 --set compute_units=3 -o results/schedule-cnn-4l-u280.csv > /dev/null
"$bin" schedule designs/intar/vae-u280.yaml --set lanes=192 --set compute_units=2 -o results/schedule-vae-u280.csv > /dev/null
"$bin" schedule designs/intar/gating-u280.yaml --set lanes=768 --set compute_units=2 -o results/schedule-gating-u280.csv > /dev/null
"$bin" schedule designs/intar/gpt2-medium-schedule-u280.yaml --param sequence_length=128,256,512,1024 \
  -o results/gpt2-medium-schedules.csv > results/gpt2-medium-schedules.txt
echo "results/ regenerated"
if $check; then scripts/compare-results.py HEAD; fi
