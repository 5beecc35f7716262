#!/usr/bin/env bash
# Fetches the open AMD/Xilinx arbitrary-precision headers (ap_int.h, ap_fixed.h and the files
# they include; Apache-2.0) that C simulation of emitted HLS projects compiles against.
# They come from the hls4ml 1.3.0 wheel on PyPI, which carries byte-identical copies; only the
# eleven Apache-2.0 files are taken (never hls_stream.h, ap_shift_reg.h or anything else there).
#
#   scripts/fetch-ap-types.sh [DEST]
#
# DEST defaults to $INTARSIA_AP_TYPES, else <repo>/.deps/ap_types. Does nothing when
# DEST/ap_int.h and DEST/NOTICE exist already. Never commit DEST.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-${INTARSIA_AP_TYPES:-$repo/.deps/ap_types}}"
[ -f "$dest/ap_int.h" ] && [ -f "$dest/NOTICE" ] && exit 0

version=1.3.0
wheel="hls4ml-$version-py3-none-any.whl"
sha256=01bf1de2cd9bca56699b9fe3385cb1735026b022f9580fe1d73faf192dfb90f2
inner=hls4ml/templates/vivado/ap_types
files="ap_common.h ap_decl.h ap_fixed.h ap_fixed_base.h ap_fixed_ref.h ap_fixed_special.h
ap_int.h ap_int_base.h ap_int_ref.h ap_int_special.h etc/ap_private.h"

parent="$(dirname "$dest")"
mkdir -p "$parent"
tmp="$(mktemp -d "$parent/.ap_types.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

if ! python3 -m pip download --quiet --no-deps "hls4ml==$version" -d "$tmp/wheel" > "$tmp/pip.log" 2>&1; then
  if ! command -v pip > /dev/null 2>&1 || ! pip download --quiet --no-deps "hls4ml==$version" -d "$tmp/wheel" >> "$tmp/pip.log" 2>&1; then
    cat "$tmp/pip.log" >&2
    echo "fetch-ap-types: could not download $wheel from PyPI (needs python3 with pip)" >&2
    exit 1
  fi
fi
got="$(python3 -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$tmp/wheel/$wheel")"
if [ "$got" != "$sha256" ]; then
  echo "fetch-ap-types: $wheel has sha256 $got, expected $sha256" >&2
  exit 1
fi

# shellcheck disable=SC2086 # $files is a word list on purpose
python3 - "$tmp/wheel/$wheel" "$inner" "$tmp/out" $files <<'EOF'
import os, sys, zipfile
wheel, inner, out, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
with zipfile.ZipFile(wheel) as z:
    for name in names:
        target = os.path.join(out, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(z.read(f"{inner}/{name}"))
EOF

{
  echo "These eleven files are the AMD/Xilinx arbitrary-precision type headers (ap_int, ap_fixed),"
  echo "copied unchanged by scripts/fetch-ap-types.sh from:"
  echo
  echo "  wheel:   $wheel (hls4ml $version, from PyPI)"
  echo "  sha256:  $sha256"
  echo "  path:    $inner/"
  echo "  files:   $(echo $files)"
  echo
  echo "Copyright 2011-2019 Xilinx, Inc. (now AMD), licensed under the Apache License, Version 2.0."
  echo "The notice from the headers' own license comment:"
  echo
  # The license comment at the top of ap_int.h, without the comment markers.
  sed -n '2,/\*\//p' "$tmp/out/ap_int.h" | sed -e '$d' -e 's/^ \* \{0,1\}//' -e 's/^ \*$//'
  echo
  echo "The full license text: http://www.apache.org/licenses/LICENSE-2.0"
} > "$tmp/out/NOTICE"

mkdir -p "$dest"
for f in $files NOTICE; do
  mkdir -p "$dest/$(dirname "$f")"
  mv -f "$tmp/out/$f" "$dest/$f"
done
echo "fetch-ap-types: $dest holds the ap_types headers of $wheel (Apache-2.0, see NOTICE)" >&2
