// Force-included (g++ -include sim/lint_poison.h) by sim/lint.sh: a cheap synthesizability lint.
// The headers a kernel may use come first, so that their own uses of the names below are
// allowed; after that, any use of heap allocation or console output in a kernel source is a
// compile error ("attempt to use poisoned ...").
#include <ap_int.h>
#include <ap_fixed.h>
#include <hls_stream.h>
#include <cstdint>
#include <cstddef>
#include <climits>

#pragma GCC poison malloc calloc realloc free
#pragma GCC poison printf fprintf puts putchar cout cerr
