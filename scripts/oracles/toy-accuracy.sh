#!/bin/sh
# A stand-in accuracy oracle for the NASAIC-style two-task example: it trains nothing. It scores a
# NAS-Bench-201 cell string ($1) for a task ($2) from its operations, deterministically, and prints
# the score as an accuracy in percent on its last line, as a real training script would.
# Usage: toy-accuracy.sh '|nor_conv_3x3~0|+|...|' cifar10
arch="$1"; task="$2"
c3=$(printf '%s' "$arch" | grep -o 'nor_conv_3x3' | wc -l)
c1=$(printf '%s' "$arch" | grep -o 'nor_conv_1x1' | wc -l)
sk=$(printf '%s' "$arch" | grep -o 'skip_connect' | wc -l)
no=$(printf '%s' "$arch" | grep -o 'none' | wc -l)
case "$task" in
  cifar10) base=60 ;;
  cifar100) base=35 ;;
  *) base=20 ;;
esac
echo "toy oracle: $task"
echo "$base $c3 $c1 $sk $no" | awk '{ a = $1 + 5.5*$2 + 3*$3 + 1.5*($4 > 0) - 2*$5; if (a > 99) a = 99; if (a < 1) a = 1; printf "%.2f\n", a }'
