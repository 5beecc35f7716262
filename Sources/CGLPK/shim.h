// GLPK from Debian's libglpk-dev (no pkg-config file ships, so none is named).
#include <glpk.h>
