#!/usr/bin/env bash
# A real single-node Slurm on localhost (Debian's slurmctld, slurmd and munge), started and
# stopped by this script, runs the docs/SCALING.md recipe: the job array of
# scripts/slurm/search-array.sh, then scripts/slurm/merge.sh after it (afterok), and checks that
# the merged CSV equals a single run's, byte for byte.
#   scripts/slurm-test.sh [INTARSIA_BINARY] [SPEC] [SHARDS] [NAS_SPEC]
# and likewise a NAS seed sweep (scripts/slurm/nas-seeds-array.sh, nas-merge.sh) against one sweep
# over the same seeds (NAS_SPEC; '' to leave it out).
# Exit 0 passed; 1 failed; 77 skipped (Slurm cannot be installed or started here: the message says
# why). Needs root (the daemons run as root in a scratch directory; nothing system-wide is
# configured).
set -uo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-.build/debug/intarsia}")
spec=${2:-designs/intar/mlp-u280.yaml}
n=${3:-4}
nas_spec=${4-designs/nas/nb201-three-task-asic.yaml}
skip() { echo "slurm-test: SKIPPED: $*" >&2; exit 77; }
fail() { echo "slurm-test: FAILED: $*" >&2; for f in "$w"/*.log "$w"/out/*.err; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; } >&2; done; exit 1; }
[ -x "$bin" ] || { echo "slurm-test: no intarsia binary at $bin (build first)" >&2; exit 1; }
if ! command -v slurmctld > /dev/null || ! command -v slurmd > /dev/null || ! command -v munged > /dev/null || ! command -v sbatch > /dev/null; then
  [ "$(id -u)" -eq 0 ] || skip "slurmctld, slurmd, munge and slurm-client are not installed and this is not root (run scripts/setup.sh)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurmctld slurmd slurm-client munge > /dev/null 2>&1 \
    || skip "apt-get cannot install slurmctld slurmd slurm-client munge here"
fi
[ "$(id -u)" -eq 0 ] || skip "the test daemons run as root; run it as root"

w=$(mktemp -d /tmp/intarsia-slurm.XXXXXX)
chmod 700 "$w"
mkdir -p "$w/state" "$w/spool" "$w/out" "$w/munge"
chmod 700 "$w/munge"
pids=()
cleanup() {
  SLURM_CONF="$w/slurm.conf" scancel --quiet --user=root > /dev/null 2>&1 || true
  for f in "$w/slurmd.pid" "$w/slurmctld.pid" "$w/munge/munged.pid"; do
    [ -f "$f" ] && kill "$(cat "$f")" 2> /dev/null
  done
  sleep 1
  for f in "$w/slurmd.pid" "$w/slurmctld.pid" "$w/munge/munged.pid"; do
    [ -f "$f" ] && kill -9 "$(cat "$f")" 2> /dev/null
  done
  [ -n "${KEEP:-}" ] || rm -rf "$w"
}
trap cleanup EXIT

# munge, on its own socket, with a fresh key.
dd if=/dev/urandom of="$w/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$w/munge/munge.key"
munged --force --key-file="$w/munge/munge.key" --socket="$w/munge/munge.sock" --pid-file="$w/munge/munged.pid" \
  --log-file="$w/munge.log" --seed-file="$w/munge/munge.seed" || skip "munged does not start here (see above)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
host=$(hostname -s)
cpus=$(nproc)
cat > "$w/slurm.conf" << CONF
ClusterName=intarsia-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$w/munge/munge.sock
StateSaveLocation=$w/state
SlurmdSpoolDir=$w/spool
SlurmctldPidFile=$w/slurmctld.pid
SlurmdPidFile=$w/slurmd.pid
SlurmctldLogFile=$w/slurmctld.log
SlurmdLogFile=$w/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$w/slurm.conf"
slurmctld -f "$w/slurm.conf" || skip "slurmctld does not start here (see $w/slurmctld.log)"
slurmd -f "$w/slurm.conf" || skip "slurmd does not start here (see $w/slurmd.log)"
for _ in $(seq 1 60); do
  sinfo -h -o "%t" 2> /dev/null | grep -qE "^(idle|mix|alloc)" && break
  sleep 0.5
done
sinfo -h -o "%t" | grep -qE "^(idle|mix|alloc)" || fail "the node did not come up: $(sinfo 2>&1)"
echo "slurm-test: Slurm up on $host ($cpus CPUs), $w" >&2

# The docs/SCALING.md recipe: the array, then the merge after it.
export INTARSIA="$bin"
array=$(sbatch --parsable --array=0-$((n - 1)) --output="$w/out/search-%a.out" --error="$w/out/search-%a.err" \
  scripts/slurm/search-array.sh "$spec" "$n" "$w/out") || fail "sbatch of the array failed"
merge=$(sbatch --parsable --dependency=afterok:"$array" --output="$w/out/merge.out" --error="$w/out/merge.err" \
  scripts/slurm/merge.sh "$spec" "$n" "$w/out" "$w/out/all.csv") || fail "sbatch of the merge failed"
echo "slurm-test: array job $array ($n shards), merge job $merge" >&2
for _ in $(seq 1 600); do
  [ -z "$(squeue -h -j "$array,$merge" 2> /dev/null)" ] && break
  sleep 0.5
done
[ -z "$(squeue -h -j "$array,$merge" 2> /dev/null)" ] || fail "jobs still queued after 300 s: $(squeue)"
[ -f "$w/out/all.csv" ] || fail "the merge job wrote no $w/out/all.csv"
[ -f "$w/out/all.html" ] || fail "the merge job wrote no report"

# The single run, outside Slurm, and the comparison.
"$bin" search "$spec" -o "$w/single.csv" -q --no-report > /dev/null || fail "the single run failed"
cmp "$w/single.csv" "$w/out/all.csv" || fail "the merged CSV differs from the single run's"
echo "slurm-test: search: $n shards through sbatch --array and an afterok merge equal the single run ($(($(wc -l < "$w/single.csv") - 1)) rows)" >&2

# A NAS seed sweep the same way: one seed per array task, the merge after them, against one sweep
# over both seeds (every column but the wall-clock seconds).
if [ -n "$nas_spec" ]; then
  nas_opts=(--budget 50 --strategy random --strategy evolution)
  mkdir -p "$w/nas"
  narray=$(sbatch --parsable --array=1-2 --output="$w/nas/seed-%a.out" --error="$w/nas/seed-%a.err" \
    scripts/slurm/nas-seeds-array.sh "$nas_spec" "$w/nas" "${nas_opts[@]}") || fail "sbatch of the NAS array failed"
  nmerge=$(sbatch --parsable --dependency=afterok:"$narray" --output="$w/nas/merge.out" --error="$w/nas/merge.err" \
    scripts/slurm/nas-merge.sh "$nas_spec" "$w/nas" "$w/nas/all-seeds.csv") || fail "sbatch of the NAS merge failed"
  echo "slurm-test: NAS array job $narray (seeds 1-2), merge job $nmerge" >&2
  "$bin" nas "$nas_spec" --seeds 1-2 -o "$w/nas-single" "${nas_opts[@]}" > /dev/null 2>&1 || fail "the single NAS sweep failed"
  for _ in $(seq 1 1200); do
    [ -z "$(squeue -h -j "$narray,$nmerge" 2> /dev/null)" ] && break
    sleep 0.5
  done
  [ -f "$w/nas/all-seeds.csv" ] || fail "the NAS merge job wrote no $w/nas/all-seeds.csv ($(cat "$w"/nas/*.err 2> /dev/null | tail -5))"
  python3 - "$w/nas-single-seeds.csv" "$w/nas/all-seeds.csv" << 'PY' || fail "the merged NAS sweep differs from the single sweep"
import csv, sys
a, b = ([r[:9] + r[10:] for r in csv.reader(open(f))] for f in sys.argv[1:3])
sys.exit(0 if a == b and len(a) > 1 else 1)
PY
  echo "slurm-test: NAS: seeds 1 and 2 as array tasks, merged, equal one sweep over both ($(($(wc -l < "$w/nas-single-seeds.csv") - 1)) rows)" >&2
fi
echo "slurm-test: PASSED" >&2
