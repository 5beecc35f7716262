#!/bin/bash
# Merges the N shards of scripts/slurm/search-array.sh into the single run's CSV, then writes its
# report (docs/SCALING.md):
#   sbatch --dependency=afterok:ARRAY_JOB_ID scripts/slurm/merge.sh SPEC.yaml N OUTDIR RESULT.csv
# merge refuses a missing, repeated, truncated or foreign shard (exit 2).
#SBATCH --job-name=intarsia-merge
#SBATCH --cpus-per-task=1
#SBATCH --time=00:30:00
set -euo pipefail
spec=$1 n=$2 out=$3 result=$4
shards=()
for ((i = 0; i < n; i++)); do shards+=("$out/shard-$i.csv"); done
"${INTARSIA:-intarsia}" merge "$spec" "${shards[@]}" -o "$result"
"${INTARSIA:-intarsia}" report "$result"
