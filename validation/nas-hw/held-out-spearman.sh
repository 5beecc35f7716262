#!/bin/sh
# Held-out Spearman of the operator table and the predictor on every device's measured cells:
# fitted on N cells (100 and 50) drawn by seeds 1 to 10, judged on every other cell, through the
# release binary's `intarsia nas fit-operators` and `train-predictor` (docs/NAS.md, "Accuracy").
# Usage: validation/nas-hw/held-out-spearman.sh [INTARSIA] > validation/nas-hw/held-out-spearman.csv
set -eu
bin=${1:-.build/release/intarsia}
dir=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "device,figure,method,trained_on,seed,spearman"
for device in mcu pixel3 raspi4 eyeriss fpga gold_6226; do
    if [ $device = mcu ]; then csv=$dir/nats-bench-mcu-nrf5340-all.csv; else csv=$dir/help-nb201-$device-latency.csv; fi
    for n in 100 50; do
        for seed in 1 2 3 4 5 6 7 8 9 10; do
            "$bin" nas fit-operators "$csv" -o "$tmp/t.csv" --train $n --seed $seed > "$tmp/t.txt"
            "$bin" nas train-predictor "$csv" -o "$tmp/p.json" --train $n --seed $seed > "$tmp/p.txt"
            for m in t p; do
                method=$([ $m = t ] && echo operator_table || echo predictor)
                sed -n "s/^\([a-z]*\): .* Spearman \([0-9.-]*\),.*/\1 \2/p" "$tmp/$m.txt" | while read -r figure rho; do
                    echo "$device,$figure,$method,$n,$seed,$rho"
                done
            done
        done
    done
done
