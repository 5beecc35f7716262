#!/usr/bin/env bash
# Where each public Vitis/Vivado HLS report used by Tests/IntarsiaHLSCheckTests came from, and
# how to fetch it again (sha256-checked). See Tests/IntarsiaHLSCheckTests/Fixtures/README.md.
#
#   scripts/fetch-csynth-fixtures.sh            re-fetch and check the committed public fixture
#   scripts/fetch-csynth-fixtures.sh --unlicensed
#                                               also fetch the reports whose repositories state no
#                                               licence into Fixtures/unlicensed/ (git-ignored,
#                                               never committed); the tests that read them run
#                                               only when they are there.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=Tests/IntarsiaHLSCheckTests/Fixtures

# repo commit path-in-repo local-file sha256
committed=(
  "fastmachinelearning/hls4ml 5483ccc7b625f118169d10a078568f6cd19e7167 test/pytest/test_report/Vivado/myproject_csynth.xml public/hls4ml-myproject_csynth.xml 7fcc73c818750e1db1cd2626c83f2b8d9c91c051cb38d73e8a434d9d3a9d76cb"
  "fastmachinelearning/hls4ml 5483ccc7b625f118169d10a078568f6cd19e7167 LICENSE public/LICENSE-hls4ml.txt c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4"
)
unlicensed=(
  "ArdaAsci/hls_project d0cce2b4a1b2ba38b6262a6f615bb5333754a0d8 csynth.xml unlicensed/ArdaAsci-hls_project-csynth.xml 642b01a412833b44402c8309d178bb675afb9ec63ad20edbb3c28766fe01b20c"
  "stavshulman/Lab_HW_SW_CNN_Dogs_Cats_2026 4f415d4f15bb6aa6c9df8e80bed0008f596eaea4 csynth.xml unlicensed/stavshulman-Lab_HW_SW_CNN_Dogs_Cats_2026-csynth.xml 382549f7554750a805c9b1455617c78a68b36fa1707cd4864455c9109c06ed86"
)

fetch() {
  local repo=$1 commit=$2 path=$3 file=$4 sum=$5
  local url="https://raw.githubusercontent.com/$repo/$commit/$path"
  mkdir -p "$dest/$(dirname "$file")"
  curl -fsSL "$url" -o "$dest/$file.tmp"
  local got
  got=$(sha256sum "$dest/$file.tmp" | cut -d' ' -f1)
  if [ "$got" != "$sum" ]; then
    rm -f "$dest/$file.tmp"
    echo "$url: sha256 $got, expected $sum" >&2
    exit 1
  fi
  mv "$dest/$file.tmp" "$dest/$file"
  echo "$dest/$file <- $url"
}

for entry in "${committed[@]}"; do fetch $entry; done
if [ "${1:-}" = "--unlicensed" ]; then
  for entry in "${unlicensed[@]}"; do fetch $entry; done
fi
