#!/bin/sh
# A stand-in on-device measurement command for `hardware_cost: {command: ...}` (docs/NAS.md,
# "Hardware-cost sources"): it measures nothing. For an architecture ($1) it prints, as its last
# line, the JSON object of figures a real measurement script would print:
#  - a NAS-Bench-201 cell measured on the nRF5340 (validation/nas-hw/nats-bench-mcu-nrf5340-all.csv,
#    NATS-Bench-MCU, CC BY 4.0): that row's latency_s, energy_mJ and int8_kb, verbatim;
#  - any other architecture: deterministic figures worked out from its text (for a cell, per
#    operator: 3x3 convolution 900 ms, 1x1 150 ms, pool 60 ms, skip 5 ms, plus 1,000 ms; for other
#    text, 1 ms per character), energy 11 mJ per second of latency, memory 100 kB + 10 kB per
#    convolution. Toy numbers, not a device's.
# Options (after the architecture) to exercise the failure paths, each applied when the
# architecture text contains PATTERN (an empty PATTERN matches every architecture):
#   --fail-if PATTERN      exit 3 (a failing measurement, with a message on stderr)
#   --hang-if PATTERN      sleep for an hour (to be killed at the timeout)
#   --garbage-if PATTERN   print text that is no JSON object
#   --nan-if PATTERN       print a JSON object whose latency is a string
# Usage: toy-measure.sh '|nor_conv_3x3~0|+|...|' [--fail-if nor_conv_1x1~0] ...
arch="$1"; shift
here=$(cd "$(dirname "$0")" && pwd)
table="$here/../../validation/nas-hw/nats-bench-mcu-nrf5340-all.csv"
matches() { case "$arch" in *"$1"*) return 0 ;; esac; return 1; }
while [ $# -gt 1 ]; do
  case "$1" in
    --fail-if) if matches "$2"; then echo "toy-measure: device not reachable for $arch" >&2; exit 3; fi ;;
    --hang-if) if matches "$2"; then sleep 3600; fi ;;
    --garbage-if) if matches "$2"; then echo "latency: about twelve"; exit 0; fi ;;
    --nan-if) if matches "$2"; then echo '{"latency_ms": "fast"}'; exit 0; fi ;;
    *) echo "toy-measure: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
echo "toy-measure: $arch"
row=$(awk -F, -v a="$arch" '$2 == a { print $3 " " $4 " " $6; exit }' "$table")
if [ -n "$row" ]; then
  echo "$row" | awk '{ printf "{\"latency_s\": %s, \"energy_mj\": %s, \"int8_kb\": %s}\n", $2, $3, $1 }'
  exit 0
fi
case "$arch" in
  *"~"*)
    c3=$(printf '%s' "$arch" | grep -o 'nor_conv_3x3' | wc -l)
    c1=$(printf '%s' "$arch" | grep -o 'nor_conv_1x1' | wc -l)
    po=$(printf '%s' "$arch" | grep -o 'avg_pool_3x3' | wc -l)
    sk=$(printf '%s' "$arch" | grep -o 'skip_connect' | wc -l) ;;
  *) c3=0; c1=0; po=0; sk=0 ;;
esac
echo "$c3 $c1 $po $sk ${#arch}" | awk '{
  ms = ($1 + $2 + $3 + $4 > 0) ? 1000 + 900*$1 + 150*$2 + 60*$3 + 5*$4 : $5
  printf "{\"latency_ms\": %.3f, \"energy_mj\": %.4f, \"memory_kb\": %.1f}\n", ms, ms * 0.011, 100 + 10*($1 + $2) }'
