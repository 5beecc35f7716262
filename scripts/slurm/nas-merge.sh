#!/bin/bash
# Merges the seeds of scripts/slurm/nas-seeds-array.sh into the CSV one sweep over all of them
# writes (docs/SCALING.md):
#   sbatch --dependency=afterok:ARRAY_JOB_ID scripts/slurm/nas-merge.sh SPEC.yaml OUTDIR RESULT-seeds.csv
# merge refuses parts of another spec or other options, a seed twice, or a cut CSV (exit 2).
#SBATCH --job-name=intarsia-nas-merge
#SBATCH --cpus-per-task=1
#SBATCH --time=00:30:00
set -euo pipefail
spec=$1 out=$2 result=$3
"${INTARSIA:-intarsia}" merge "$spec" "$out"/seed-*-seeds.csv -o "$result"
