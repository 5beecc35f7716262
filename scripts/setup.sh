#!/usr/bin/env bash
# Installs the system packages Intarsia builds against, when they are missing:
# libglpk-dev (the GLPK solver library and header); and for the tests: glpk-utils (glpsol
# re-solves emitted LP files independently), librsvg2-bin and netpbm (render the SVG plots to
# pixels to check they show something). Debian/Ubuntu; runs apt-get as root or via sudo.
set -euo pipefail
need=()
[ -f /usr/include/glpk.h ] || need+=(libglpk-dev)
command -v glpsol > /dev/null 2>&1 || need+=(glpk-utils)
command -v rsvg-convert > /dev/null 2>&1 || need+=(librsvg2-bin)
command -v pngtopnm > /dev/null 2>&1 || need+=(netpbm)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" > /dev/null
fi
