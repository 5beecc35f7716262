#!/usr/bin/env bash
# Regenerates results/ from the bundled specs: one CSV per InTAR kernel and GPT-2 medium, the
# matched-budget summary, and the validation table.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release
bin=.build/release/intarsia
for spec in designs/intar/*.yaml; do
  "$bin" search "$spec" -q > /dev/null
done
"$bin" summary results/{self-attention,mlp,cnn-4l,vae,gating,gpt2-medium}-u280.csv -o results/intar-hdv-summary.csv > /dev/null
"$bin" validate > results/validation.txt
echo "results/ regenerated"
