#!/bin/sh
# A stand-in accuracy oracle for the NASAIC-style two-task example: it trains nothing. It scores an
# architecture ($1) for a task ($2) deterministically from its text and prints the score as an
# accuracy in percent on its last line, as a real training script would.
#  - a NAS-Bench-201 cell string: more 3x3 and 1x1 convolutions score higher, `none` edges lower;
#  - a template space's `name=value,...` text (designs/nas/spaces/): wider filters (f*), more
#    residual blocks (d*) and larger kernels (k*) score higher, with diminishing returns.
# Usage: toy-accuracy.sh '|nor_conv_3x3~0|+|...|' cifar10
#        toy-accuracy.sh 'f0=64,f1=128,k1=3,d1=1,...' cifar10
arch="$1"; task="$2"
case "$task" in
  cifar10) base=60 ;;
  cifar100) base=35 ;;
  nuclei) base=55 ;;
  *) base=20 ;;
esac
echo "toy oracle: $task"
case "$arch" in
  *"~"*)
    c3=$(printf '%s' "$arch" | grep -o 'nor_conv_3x3' | wc -l)
    c1=$(printf '%s' "$arch" | grep -o 'nor_conv_1x1' | wc -l)
    sk=$(printf '%s' "$arch" | grep -o 'skip_connect' | wc -l)
    no=$(printf '%s' "$arch" | grep -o 'none' | wc -l)
    echo "$base $c3 $c1 $sk $no" | awk '{ a = $1 + 5.5*$2 + 3*$3 + 1.5*($4 > 0) - 2*$5; if (a > 99) a = 99; if (a < 1) a = 1; printf "%.2f\n", a }'
    ;;
  *=*)
    printf '%s\n' "$arch" | tr ',' '\n' | awk -v base="$base" -F= '
      $1 ~ /^f/ { a += 3 * log($2 / 16) / log(2) / (1 + n++ * 0.3) }
      $1 ~ /^d/ { a += 2.5 * ($2 - 1) }
      $1 ~ /^k/ { a += 0.8 * ($2 - 3) / 2 }
      END { a = base + a; if (a > 99) a = 99; if (a < 1) a = 1; printf "%.2f\n", a }'
    ;;
  *) echo "toy oracle: cannot read the architecture '$arch'" >&2; exit 1 ;;
esac
