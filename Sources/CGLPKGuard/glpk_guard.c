#include "glpk_guard.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct {
    jmp_buf jump;
    char text[1024];      // the last terminal output GLPK produced (its error message among it)
    size_t length;
    void *buffers[4];     // heap blocks to free if GLPK jumps out
} guard_state;

#include <stdlib.h>

static void *guarded_alloc(guard_state *g, int slot, size_t bytes) {
    g->buffers[slot] = malloc(bytes > 0 ? bytes : 1);
    return g->buffers[slot];
}

static void free_buffers(guard_state *g) {
    for (int i = 0; i < 4; i++) { free(g->buffers[i]); g->buffers[i] = NULL; }
}

typedef struct {
    const double *incumbent;
    int n_cols;
    int given;
    long nodes;
    double bound;
    int has_bound;
    double *scratch;      // n_cols + 1 values
} callback_state;

// Keeps the tail of GLPK's terminal output instead of printing it.
static int terminal_hook(void *info, const char *s) {
    guard_state *g = (guard_state *)info;
    size_t n = strlen(s);
    if (n >= sizeof g->text) { s += n - (sizeof g->text - 1); n = sizeof g->text - 1; }
    if (g->length + n >= sizeof g->text) {
        size_t keep = sizeof g->text - 1 - n;
        memmove(g->text, g->text + (g->length - keep), keep);
        g->length = keep;
    }
    memcpy(g->text + g->length, s, n);
    g->length += n;
    g->text[g->length] = 0;
    return 1;  // handled: GLPK prints nothing
}

static void error_hook(void *info) {
    guard_state *g = (guard_state *)info;
    longjmp(g->jump, 1);
}

static void mip_callback(glp_tree *tree, void *info) {
    callback_state *c = (callback_state *)info;
    int total = 0;
    glp_ios_tree_size(tree, NULL, NULL, &total);
    if (total > c->nodes) c->nodes = total;
    int best = glp_ios_best_node(tree);
    if (best != 0) { c->bound = glp_ios_node_bound(tree, best); c->has_bound = 1; }
    if (glp_ios_reason(tree) == GLP_IHEUR && c->incumbent != NULL && !c->given) {
        double *one_based = c->scratch;
        one_based[0] = 0;
        for (int j = 0; j < c->n_cols; j++) one_based[j + 1] = c->incumbent[j];
        glp_ios_heur_sol(tree, one_based);  // rejected by GLPK when not feasible or not better
        c->given = 1;
    }
}

static int bound_type(double lb, double ub) {
    int has_lb = lb > -HUGE_VAL, has_ub = ub < HUGE_VAL;
    if (has_lb && has_ub) return lb == ub ? GLP_FX : GLP_DB;
    if (has_lb) return GLP_LO;
    if (has_ub) return GLP_UP;
    return GLP_FR;
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int intarsia_glpk_solve(const intarsia_lp_input *in, intarsia_lp_output *out, double *x) {
    // On the heap: its fields change after setjmp and are read after a longjmp.
    guard_state *const gp = calloc(1, sizeof(guard_state));
    memset(out, 0, sizeof *out);
    if (gp == NULL) {
        out->status = INTARSIA_ERROR;
        snprintf(out->message, sizeof out->message, "out of memory");
        return out->status;
    }
#define g (*gp)
    callback_state cb;
    memset(&cb, 0, sizeof cb);
    cb.incumbent = in->incumbent;
    cb.n_cols = in->n_cols;
    double started = now_seconds();
    glp_prob *volatile problem = NULL;

    glp_term_hook(terminal_hook, gp);
    glp_error_hook(error_hook, gp);
    if (setjmp(g.jump) != 0) {
        // GLPK called its error hook: every GLPK object of this thread is gone with the env.
        glp_free_env();
        free_buffers(&g);
        out->status = INTARSIA_ERROR;
        snprintf(out->message, sizeof out->message, "%s", g.length ? g.text : "GLPK error");
        size_t n = strlen(out->message);
        while (n > 0 && (out->message[n - 1] == '\n' || out->message[n - 1] == ' ')) out->message[--n] = 0;
        out->seconds = now_seconds() - started;
        free(gp);
        return out->status;
    }

    glp_prob *p = glp_create_prob();
    problem = p;
    glp_set_obj_dir(p, in->maximize ? GLP_MAX : GLP_MIN);
    glp_set_obj_coef(p, 0, in->objective_constant);
    int integer = 0;
    if (in->n_rows > 0) glp_add_rows(p, in->n_rows);
    if (in->n_cols > 0) glp_add_cols(p, in->n_cols);
    for (int i = 0; i < in->n_rows; i++) {
        glp_set_row_bnds(p, i + 1, bound_type(in->row_lb[i], in->row_ub[i]), in->row_lb[i], in->row_ub[i]);
        if (in->row_names && in->row_names[i]) glp_set_row_name(p, i + 1, in->row_names[i]);
    }
    for (int j = 0; j < in->n_cols; j++) {
        int kind = in->col_kind[j];
        if (kind == INTARSIA_BINARY) {
            glp_set_col_kind(p, j + 1, GLP_BV);
            integer = 1;
        } else {
            glp_set_col_bnds(p, j + 1, bound_type(in->col_lb[j], in->col_ub[j]), in->col_lb[j], in->col_ub[j]);
            if (kind == INTARSIA_INTEGER) { glp_set_col_kind(p, j + 1, GLP_IV); integer = 1; }
        }
        glp_set_obj_coef(p, j + 1, in->objective[j]);
        if (in->col_names && in->col_names[j]) glp_set_col_name(p, j + 1, in->col_names[j]);
    }
    cb.scratch = guarded_alloc(&g, 3, sizeof(double) * (size_t)(in->n_cols + 1));
    if (in->nnz > 0) {
        int *ia = guarded_alloc(&g, 0, sizeof(int) * (size_t)(in->nnz + 1));
        int *ja = guarded_alloc(&g, 1, sizeof(int) * (size_t)(in->nnz + 1));
        double *ar = guarded_alloc(&g, 2, sizeof(double) * (size_t)(in->nnz + 1));
        for (int k = 0; k < in->nnz; k++) { ia[k + 1] = in->ia[k] + 1; ja[k + 1] = in->ja[k] + 1; ar[k + 1] = in->ar[k]; }
        glp_load_matrix(p, in->nnz, ia, ja, ar);
    }
    if (in->lp_path && glp_write_lp(p, NULL, in->lp_path) != 0) {
        snprintf(out->message, sizeof out->message, "cannot write %s", in->lp_path);
        glp_delete_prob(p);
        free_buffers(&g);
        glp_error_hook(NULL, NULL);
        glp_term_hook(NULL, NULL);
        free(gp);
        out->status = INTARSIA_ERROR;
        return out->status;
    }

    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    smcp.presolve = in->presolve ? GLP_ON : GLP_OFF;
    if (in->time_limit_seconds > 0) smcp.tm_lim = (int)(in->time_limit_seconds * 1000);
    // Scale rows and columns first: models that mix cycle counts or picojoules (10^4 to 10^9)
    // with 0/1 rows otherwise get wrong answers from the unscaled simplex ("optimal" points that
    // break rows, feasible models called infeasible, internal errors; found on the NAS exact
    // method's 5,632 solves of designs/nas/nb201-three-task-asic.yaml).
    if (in->n_cols > 0) glp_scale_prob(p, GLP_SF_AUTO);
    int rc = in->n_cols > 0 ? glp_simplex(p, &smcp) : 0;
    int lp_status = in->n_cols > 0 ? glp_get_status(p) : GLP_OPT;
    if (rc == GLP_ENOPFS || lp_status == GLP_NOFEAS) {
        out->status = INTARSIA_INFEASIBLE;
    } else if (rc == GLP_ENODFS || lp_status == GLP_UNBND) {
        out->status = INTARSIA_UNBOUNDED;
    } else if (rc == GLP_ETMLIM) {
        out->status = INTARSIA_NO_SOLUTION;
        snprintf(out->message, sizeof out->message, "time limit reached in the LP relaxation");
    } else if (rc != 0 || lp_status != GLP_OPT) {
        out->status = INTARSIA_NO_SOLUTION;
        snprintf(out->message, sizeof out->message, "LP relaxation ended with code %d, status %d", rc, lp_status);
    } else if (!integer) {
        out->status = INTARSIA_OPTIMAL;
        out->objective = glp_get_obj_val(p);
        out->bound = out->objective;
        for (int j = 0; j < in->n_cols; j++) x[j] = glp_get_col_prim(p, j + 1);
    } else {
        glp_iocp iocp;
        glp_init_iocp(&iocp);
        iocp.msg_lev = GLP_MSG_OFF;
        iocp.presolve = GLP_OFF;  // the LP basis above is optimal; keeps the incumbent in original columns
        if (in->time_limit_seconds > 0) {
            double left = in->time_limit_seconds - (now_seconds() - started);
            iocp.tm_lim = left > 0.001 ? (int)(left * 1000) : 1;
        }
        if (in->relative_gap > 0) iocp.mip_gap = in->relative_gap;
        iocp.cb_func = mip_callback;
        iocp.cb_info = &cb;
        rc = glp_intopt(p, &iocp);
        int mip = glp_mip_status(p);
        if (mip == GLP_OPT && rc == 0) {
            out->status = INTARSIA_OPTIMAL;
        } else if (mip == GLP_OPT || mip == GLP_FEAS) {
            out->status = INTARSIA_FEASIBLE;   // time limit or gap tolerance
        } else if (mip == GLP_NOFEAS) {
            out->status = INTARSIA_INFEASIBLE;
        } else {
            out->status = rc == GLP_ETMLIM ? INTARSIA_NO_SOLUTION : INTARSIA_INFEASIBLE;
        }
        if (out->status == INTARSIA_OPTIMAL || out->status == INTARSIA_FEASIBLE) {
            out->objective = glp_mip_obj_val(p);
            for (int j = 0; j < in->n_cols; j++) x[j] = glp_mip_col_val(p, j + 1);
            if (out->status == INTARSIA_OPTIMAL) out->bound = out->objective;
            else out->bound = cb.has_bound ? cb.bound : (in->maximize ? HUGE_VAL : -HUGE_VAL);
        }
        if (rc == GLP_ETMLIM) snprintf(out->message, sizeof out->message, "time limit reached");
        else if (rc == GLP_EMIPGAP) snprintf(out->message, sizeof out->message, "relative gap tolerance reached");
        out->nodes = cb.nodes;
    }
    if (out->status == INTARSIA_OPTIMAL) out->gap = 0;
    else if (out->status == INTARSIA_FEASIBLE) {
        double denom = fabs(out->objective) > 1e-9 ? fabs(out->objective) : 1;
        out->gap = fabs(out->objective - out->bound) / denom;
    }
    glp_delete_prob(p);
    problem = NULL;
    free_buffers(&g);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    out->seconds = now_seconds() - started;
    free(gp);
    return out->status;
}
#undef g
