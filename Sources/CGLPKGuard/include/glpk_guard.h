#ifndef INTARSIA_GLPK_GUARD_H
#define INTARSIA_GLPK_GUARD_H

// One guarded call that builds, solves, reads back and deletes a GLPK problem. GLPK aborts the
// process on any internal error; this call installs an error hook that jumps back here instead,
// frees the thread's GLPK environment, and reports the error with GLPK's message. Nothing of
// GLPK outlives the call, so Swift never holds a GLPK object.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum intarsia_col_kind { INTARSIA_CONTINUOUS = 0, INTARSIA_INTEGER = 1, INTARSIA_BINARY = 2 };

enum intarsia_status {
    INTARSIA_OPTIMAL = 0,      // proven optimal
    INTARSIA_FEASIBLE = 1,     // a solution, optimality not proven (time limit or gap)
    INTARSIA_INFEASIBLE = 2,
    INTARSIA_UNBOUNDED = 3,
    INTARSIA_NO_SOLUTION = 4,  // stopped (time limit) before any solution was found
    INTARSIA_ERROR = 5         // GLPK reported an error; see message
};

typedef struct {
    int n_cols;
    int n_rows;
    const double *col_lb;       // -HUGE_VAL / +HUGE_VAL for no bound
    const double *col_ub;
    const int *col_kind;        // intarsia_col_kind
    const double *objective;    // n_cols coefficients
    double objective_constant;
    int maximize;
    const double *row_lb;
    const double *row_ub;
    int nnz;
    const int *ia;              // 0-based row of each nonzero
    const int *ja;              // 0-based column of each nonzero
    const double *ar;
    const char *const *col_names;   // may be NULL
    const char *const *row_names;   // may be NULL
    double time_limit_seconds;      // <= 0: none
    double relative_gap;            // <= 0: prove optimality
    int presolve;
    const double *incumbent;        // n_cols values of a known feasible solution, or NULL
    const char *lp_path;            // write the model in CPLEX LP format here first, or NULL
} intarsia_lp_input;

typedef struct {
    int status;                 // intarsia_status
    double objective;
    double bound;               // best bound (equals objective when optimal)
    double gap;                 // relative gap between objective and bound
    double seconds;
    long nodes;                 // branch-and-bound nodes
    char message[1024];         // GLPK's message on error; otherwise a short note
} intarsia_lp_output;

// Solves; `x` receives n_cols values when a solution exists. Returns out->status.
int intarsia_glpk_solve(const intarsia_lp_input *in, intarsia_lp_output *out, double *x);

#ifdef __cplusplus
}
#endif

#endif
