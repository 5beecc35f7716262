#!/bin/sh
# A cheap synthesizability lint for the sources of an emitted HLS project, run from the project
# directory (the one holding sim/ and src/):
#
#   sh sim/lint.sh <AP_TYPES dir> <source files...>
#
# Each source is (a) compiled with g++ -fsyntax-only with sim/lint_poison.h force-included
# (heap allocation and console output are poisoned), variable-length arrays as errors and
# exceptions off, and (b) searched, outside // comments, for C++ that Vitis HLS cannot
# synthesize: new, delete, throw, try, std::vector, std::string, std::map.
# Prints every finding and exits 1, or prints "lint: N file(s) clean" and exits 0.
if [ $# -lt 2 ]; then
    echo "usage: sh sim/lint.sh <AP_TYPES dir> <source files...>" >&2
    exit 2
fi
ap_types=$1
shift
if [ ! -f "$ap_types/ap_int.h" ]; then
    echo "lint: no ap_int.h in '$ap_types' (run scripts/fetch-ap-types.sh in the Intarsia repository)" >&2
    exit 2
fi
CXX=${CXX:-g++}
failed=0
for src in "$@"; do
    if ! "$CXX" -std=c++17 -fsyntax-only -isystem "$ap_types" -Isim -Isrc -include sim/lint_poison.h \
        -Werror=vla -fno-exceptions -Wall -Wextra -Wno-unknown-pragmas -Wno-unused-label \
        -Wno-uninitialized -Wno-maybe-uninitialized "$src" 2>&1; then
        echo "$src: does not compile under the synthesizability lint (see above)"
        failed=1
    fi
    findings=$(sed 's://.*$::' "$src" | awk -v f="$src" '
        /(^|[^A-Za-z0-9_])new([^A-Za-z0-9_]|$)/    { print f ":" NR ": dynamic allocation (new)" }
        /(^|[^A-Za-z0-9_])delete([^A-Za-z0-9_]|$)/ { l = $0; gsub(/=[ \t]*delete/, "", l)  # "= delete" is fine
                                                     if (l ~ /(^|[^A-Za-z0-9_])delete([^A-Za-z0-9_]|$)/)
                                                         print f ":" NR ": dynamic allocation (delete)" }
        /(^|[^A-Za-z0-9_])throw([^A-Za-z0-9_]|$)/  { print f ":" NR ": exceptions (throw)" }
        /(^|[^A-Za-z0-9_])try([^A-Za-z0-9_]|$)/    { print f ":" NR ": exceptions (try)" }
        /std::vector/                              { print f ":" NR ": std::vector (dynamic container)" }
        /std::string/                              { print f ":" NR ": std::string (dynamic container)" }
        /std::map/                                 { print f ":" NR ": std::map (dynamic container)" }')
    if [ -n "$findings" ]; then
        echo "$findings"
        failed=1
    fi
done
if [ $failed -ne 0 ]; then
    exit 1
fi
echo "lint: $# file(s) clean"
