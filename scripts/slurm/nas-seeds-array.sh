#!/bin/bash
# One seed of a NAS seed sweep, as a Slurm job-array task (docs/SCALING.md):
#   sbatch --array=1-10 scripts/slurm/nas-seeds-array.sh SPEC.yaml OUTDIR [nas options, e.g. --budget 2000]
# Task s writes OUTDIR/seed-s-seeds.csv (and its record); --resume makes a requeued task continue
# from its checkpoint. INTARSIA names the binary (default: intarsia on PATH).
#SBATCH --job-name=intarsia-nas
#SBATCH --cpus-per-task=1
#SBATCH --time=02:00:00
set -euo pipefail
spec=$1 out=$2
shift 2
exec "${INTARSIA:-intarsia}" nas "$spec" --seeds "${SLURM_ARRAY_TASK_ID}" -o "$out/seed-${SLURM_ARRAY_TASK_ID}" --resume "$@"
