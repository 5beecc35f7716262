#!/usr/bin/env bash
# Installs the system packages Intarsia builds against, when they are missing:
# libglpk-dev (the GLPK solver library and header), libxgboost-dev (XGBoost's C API, the NAS's
# learned hardware-cost predictors); and for the tests: glpk-utils (glpsol
# re-solves emitted LP files independently), librsvg2-bin and netpbm (render the SVG plots to
# pixels to check they show something); g++ and make (C simulation of emitted HLS projects);
# slurmctld, slurmd, slurm-client and munge (a real single-node Slurm for scripts/slurm-test.sh).
# Debian/Ubuntu; runs apt-get as root or via sudo. Then fetches the open ap_int/ap_fixed headers
# (Apache-2.0) from the hls4ml wheel on PyPI into .deps/ap_types (scripts/fetch-ap-types.sh).
set -euo pipefail
need=()
[ -f /usr/include/glpk.h ] || need+=(libglpk-dev)
[ -f /usr/include/xgboost/c_api.h ] || need+=(libxgboost-dev)
command -v glpsol > /dev/null 2>&1 || need+=(glpk-utils)
command -v rsvg-convert > /dev/null 2>&1 || need+=(librsvg2-bin)
command -v pngtopnm > /dev/null 2>&1 || need+=(netpbm)
command -v g++ > /dev/null 2>&1 || need+=(g++)
command -v make > /dev/null 2>&1 || need+=(make)
command -v python3 > /dev/null 2>&1 || need+=(python3 python3-pip)
# The Slurm test (scripts/slurm-test.sh): a single-node Slurm with munge authentication.
command -v slurmctld > /dev/null 2>&1 || need+=(slurmctld)
command -v slurmd > /dev/null 2>&1 || need+=(slurmd)
command -v sbatch > /dev/null 2>&1 || need+=(slurm-client)
command -v munged > /dev/null 2>&1 || need+=(munge)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" > /dev/null
fi
"$(dirname "$0")/fetch-ap-types.sh"
