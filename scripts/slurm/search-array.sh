#!/bin/bash
# One shard of a sharded search, as a Slurm job-array task (docs/SCALING.md):
#   sbatch --array=0-$((N-1)) scripts/slurm/search-array.sh SPEC.yaml N OUTDIR
# Task i writes OUTDIR/shard-i.csv (and its run record); --resume makes a requeued task
# continue where it stopped. INTARSIA names the binary (default: intarsia on PATH).
#SBATCH --job-name=intarsia-search
#SBATCH --cpus-per-task=1
#SBATCH --time=02:00:00
set -euo pipefail
spec=$1 n=$2 out=$3
exec "${INTARSIA:-intarsia}" search "$spec" --shard "${SLURM_ARRAY_TASK_ID}/$n" \
  -o "$out/shard-${SLURM_ARRAY_TASK_ID}.csv" -q --no-report --resume --jobs "${SLURM_CPUS_PER_TASK:-1}"
