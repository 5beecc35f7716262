// Intarsia HLS module library, streaming part: the dataflow template's task bodies that consume
// and produce their tensors in stream order, holding only the buffers the model counts
// (IntarsiaFPGA.OnChipBuffers; docs/HLS.md, "Streaming orders"). The caller declares every
// buffer (with its BIND_STORAGE and ARRAY_PARTITION pragmas) and passes it in, so that each
// buffer the emitted code holds is declared once, in top.cpp, beside its storage.
// Exact integer sums do not depend on the order of their terms, so every order here gives the
// bits the Swift reference computes.
#pragma once

namespace intarsia {

// Matrix-vector product by dot products (matvec: dot): x arrives whole into `x` (k elements);
// each output column j reduces x against the weight column j, read off chip one element per
// term (a one-row MAC task has no weight buffer in the model: each weight is used once), and
// is written as soon as it completes. The column and term loops are one flattened loop (the
// model's one pipeline over n·ceil(k/LANES) steps, its weights one burst in storage order).
template <int LANES, int ACC_W, class A, class B, class O>
void gemv_dot_stream(hls::stream<A>& in, A* x, const B* w, hls::stream<O>& out, int k, int n, int shift) {
    read_whole<A>(in, x, k);
    const int steps = (k + LANES - 1) / LANES;
    ap_int<ACC_W> acc = 0;
gemv_dot_steps:
    for (int st = 0; st < n * steps; ++st) {
        INTARSIA_MAC_LOOP
        const int j = st / steps, t0 = (st % steps) * LANES;
        if (t0 == 0) acc = 0;
    gemv_dot_lanes:
        for (int l = 0; l < LANES; ++l) {
#pragma HLS UNROLL
            const int t = t0 + l;
            if (t < k) acc += ap_int<ACC_W>(raw(x[t])) * ap_int<ACC_W>(raw(w[j * k + t]));
        }
        if (t0 + LANES >= k) out.write(narrow<O>(acc, shift));
    }
}

// Matrix-vector product by outer-product accumulation (matvec: outer, or auto from a producer
// that streams): each x[t] is used as it arrives, adding x[t]·W[t][j] to every output's
// accumulator (`acc`, n of ACC_W bits, lanes across the outputs; the first term sets it); the
// outputs exist only at the end. The weights of row t are W's column-major elements j·k + t.
// The term and output-group loops are one flattened loop (the model's one pipeline over
// k·ceil(n/LANES) steps), reading x[t] at the first group of each term.
template <int LANES, int ACC_W, class A, class B, class O>
void gemv_outer_stream(hls::stream<A>& in, ap_int<ACC_W>* acc, const B* w, hls::stream<O>& out, int k, int n, int shift) {
    const int groups = (n + LANES - 1) / LANES;
    ap_int<ACC_W> xv = 0;
gemv_outer_steps:
    for (int st = 0; st < k * groups; ++st) {
        INTARSIA_MAC_LOOP
        const int t = st / groups, j0 = (st % groups) * LANES;
        if (j0 == 0) xv = ap_int<ACC_W>(raw(in.read()));
    gemv_outer_lanes:
        for (int l = 0; l < LANES; ++l) {
#pragma HLS UNROLL
            const int j = j0 + l;
            if (j < n) acc[j] = (t == 0 ? ap_int<ACC_W>(0) : acc[j]) + xv * ap_int<ACC_W>(raw(w[j * k + t]));
        }
    }
gemv_outer_out:
    for (int j = 0; j < n; ++j) {
#pragma HLS PIPELINE II=1
        out.write(narrow<O>(acc[j], shift));
    }
}

// A column-order stream of m rows of n written to its row-major places off chip.
template <class T> void store_stream_cols(hls::stream<T>& in, T* dst, int m, int n) {
store_cols_loop:
    for (int q = 0; q < m * n; ++q) {
#pragma HLS PIPELINE II=1
        dst[(q % m) * n + q / m] = in.read();
    }
}

// One output column of C = A·W over the weight column `col` (k terms), written row by row to
// `out` as each row's reduction ends: the rows and their terms are one flattened pipelined loop
// over m·ceil(k/LANES) steps (the accumulator cleared at a row's first step).
template <int LANES, int ACC_W, class A, class B, class O>
void gemm_column_stream(const A* a, const B* col, hls::stream<O>& out, int m, int k, int shift) {
    const int steps = (k + LANES - 1) / LANES;
    ap_int<ACC_W> acc = 0;
gemm_cols_steps:
    for (int st = 0; st < m * steps; ++st) {
        INTARSIA_MAC_LOOP
        const int i = st / steps, t0 = (st % steps) * LANES;
        if (t0 == 0) acc = 0;
    gemm_cols_lanes:
        for (int l = 0; l < LANES; ++l) {
#pragma HLS UNROLL
            const int t = t0 + l;
            if (t < k) acc += ap_int<ACC_W>(raw(a[i * k + t])) * ap_int<ACC_W>(raw(col[t]));
        }
        if (t0 + LANES >= k) out.write(narrow<O>(acc, shift));
    }
}

// C = A·W with A held whole (`a`, m·k, row-major) and off-chip weights stored column by column
// ([n][k]), each read once (InTAR's unit: columns outside, rows inside), C written to `out`
// column by column (a column-order stream) and never held. Weight loading as gemm_weights.
template <int LANES, int ACC_W, int MAX_K, int LOAD, class A, class B, class O>
void gemm_cols_stream(const A* a, const B* w, hls::stream<O>& out, int m, int k, int n, int shift) {
    if (LOAD == WL_BLOCKING) {
    gemm_cols_blocking:
        for (int j = 0; j < n; ++j) gemm_column_stream<LANES, ACC_W>(a, w + j * k, out, m, k, shift);
        return;
    }
    B col[2][MAX_K];
#pragma HLS ARRAY_PARTITION variable=col cyclic factor=LANES dim=2
#pragma HLS ARRAY_PARTITION variable=col complete dim=1
    if (LOAD == WL_DOUBLE_BUFFERED && n > 0) load_column<B>(w, col[0], k, 0);
gemm_cols_columns:
    for (int j = 0; j < n; ++j) {
        if (LOAD == WL_DOUBLE_BUFFERED) {
            if (j + 1 < n) load_column<B>(w, col[(j + 1) & 1], k, j + 1);
            gemm_column_stream<LANES, ACC_W>(a, col[j & 1], out, m, k, shift);
        } else {
            load_column<B>(w, col[0], k, j);
            gemm_column_stream<LANES, ACC_W>(a, col[0], out, m, k, shift);
        }
    }
}

// C = A·W by outer-product accumulation over A's columns as they stream (a column-order stream:
// A[0][t], ..., A[m-1][t], then column t + 1): each A[i][t] adds A[i][t]·W[t][j] to row i's
// accumulators (`acc`, m·n of ACC_W bits, element (i, j) at j·m + i; lanes across the columns j;
// the first term sets them). W's row t (W[t][j] at j·k + t off chip) is read once, at row 0,
// into `w_row` (n weights) and reused by the other rows. The term, row and column-group loops
// are one flattened pipelined loop over k·m·ceil(n/LANES) steps, reading A[i][t] at the first
// group of each row; the outputs exist only at the end and leave column by column (`cols_out`,
// a column-order stream) or row by row.
template <int LANES, int ACC_W, class A, class B, class O>
void gemm_outer_cols_stream(hls::stream<A>& in, ap_int<ACC_W>* acc, const B* w, B* w_row, hls::stream<O>& out, int m, int k, int n,
                            int shift, bool cols_out) {
    const int groups = (n + LANES - 1) / LANES;
    ap_int<ACC_W> xv = 0;
gemm_outer_cols_steps:
    for (int st = 0; st < k * m * groups; ++st) {
        INTARSIA_MAC_LOOP
        const int t = st / (m * groups), i = (st / groups) % m, j0 = (st % groups) * LANES;
        if (j0 == 0) xv = ap_int<ACC_W>(raw(in.read()));
    gemm_outer_cols_lanes:
        for (int l = 0; l < LANES; ++l) {
#pragma HLS UNROLL
            const int j = j0 + l;
            if (j < n) {
                if (i == 0) w_row[j] = w[j * k + t];
                acc[j * m + i] = (t == 0 ? ap_int<ACC_W>(0) : acc[j * m + i]) + xv * ap_int<ACC_W>(raw(w_row[j]));
            }
        }
    }
gemm_outer_cols_out:
    for (int q = 0; q < m * n; ++q) {
#pragma HLS PIPELINE II=1
        out.write(narrow<O>(acc[cols_out ? q : (q % n) * m + q / n], shift));
    }
}

// C = A·B with B an activation held whole (`b`, read first) and A streamed row by row through
// `row` (heads·k elements): each row of C is computed from its row of A and written as it
// completes, in C's row order (see gemm for the head and transpose_b conventions).
template <int LANES, int ACC_W, class A, class B, class O>
void gemm_rows_stream(hls::stream<A>& in_a, hls::stream<B>& in_b, A* row, B* b, hls::stream<O>& out, int m, int k, int n,
                      int heads, bool transpose_b, int shift) {
    const int nh = n / heads;
    read_whole<B>(in_b, b, transpose_b ? n * k : k * n);
gemm_rows:
    for (int i = 0; i < m; ++i) {
        read_whole<A>(in_a, row, heads * k);
    gemm_rows_heads:
        for (int h = 0; h < heads; ++h) {
        gemm_rows_cols:
            for (int j = 0; j < nh; ++j) out.write(narrow<O>(gemm_dot<LANES, ACC_W>(row, b, k, n, heads, transpose_b, h, j), shift));
        }
    }
}

// A direct convolution of one input channel into one filter through a line buffer: `lines`
// holds the last r input rows (r·w elements, row y in lines[y % r]); each output row is
// computed once the input rows its window needs have arrived, and written as it completes.
// The filter's r·s weights are read once into `filt`. Input rows below the last window are
// read and dropped.
template <int LANES, int ACC_W, class A, class B, class O>
void conv2d_line_stream(hls::stream<A>& in, A* lines, const B* w, B* filt, hls::stream<O>& out, int batch, int hh, int ww,
                        int r, int s, int st, int pad, int shift) {
    const int oh = (hh + 2 * pad - r) / st + 1, ow = (ww + 2 * pad - s) / st + 1, terms = r * s;
    const int steps = (terms + LANES - 1) / LANES;
conv_line_load:
    for (int t = 0; t < terms; ++t) {
#pragma HLS PIPELINE II=1
        filt[t] = w[t];
    }
conv_line_batch:
    for (int b = 0; b < batch; ++b) {
        int rows_in = 0;
    conv_line_out_rows:
        for (int oy = 0; oy < oh; ++oy) {
            const int last = oy * st - pad + r;
            const int need = last < hh ? last : hh;
        conv_line_fill:
            for (int f = rows_in; f < need; ++f) {
            conv_line_fill_row:
                for (int x = 0; x < ww; ++x) {
#pragma HLS PIPELINE II=1
                    lines[(f % r) * ww + x] = in.read();
                }
            }
            if (need > rows_in) rows_in = need;
            // The output columns and their terms are one flattened loop per output row (one
            // pipeline over ow·ceil(terms/LANES) steps, as the model's loop nest is flattened).
            ap_int<ACC_W> acc = 0;
        conv_line_out_steps:
            for (int q = 0; q < ow * steps; ++q) {
                INTARSIA_MAC_LOOP
                const int ox = q / steps, t0 = (q % steps) * LANES;
                if (t0 == 0) acc = 0;
            conv_line_lanes:
                for (int l = 0; l < LANES; ++l) {
#pragma HLS UNROLL
                    const int t = t0 + l;
                    if (t >= terms) continue;
                    const int iy = oy * st - pad + t / s, ix = ox * st - pad + t % s;
                    if (iy >= 0 && iy < hh && ix >= 0 && ix < ww)
                        acc += ap_int<ACC_W>(raw(lines[(iy % r) * ww + ix])) * ap_int<ACC_W>(raw(filt[t]));
                }
                if (t0 + LANES >= terms) out.write(narrow<O>(acc, shift));
            }
        }
    conv_line_drop:
        for (int f = rows_in; f < hh; ++f) {
        conv_line_drop_row:
            for (int x = 0; x < ww; ++x) {
#pragma HLS PIPELINE II=1
                (void)in.read();
            }
        }
    }
}

// Max pooling (window win, stride win) over a row-major stream through a line buffer of one
// output row (`best`, w / win elements): the running maximum of each window over its rows,
// written when the window's last element arrives. Rows and columns beyond the last whole
// window are read and dropped.
template <class T> void max_pool_stream(hls::stream<T>& in, T* best, hls::stream<T>& out, int ch, int hh, int ww, int win) {
    const int oh = hh / win, ow = ww / win;
pool_line_in:
    for (int i = 0; i < ch * hh * ww; ++i) {
#pragma HLS PIPELINE II=1
        const T v = in.read();
        const int x = i % ww, y = (i / ww) % hh;
        if (y < oh * win && x < ow * win) {
            const int ox = x / win;
            if ((y % win == 0 && x % win == 0) || raw(v) > raw(best[ox])) best[ox] = v;
            if (y % win == win - 1 && x % win == win - 1) out.write(best[ox]);
        }
    }
}

// Average pooling (window win, stride win) over a row-major stream through a line buffer of one
// output row of running sums (`sums`, w / win elements of S, as wide as a window's exact sum):
// each window's sum divided by win * win, rounded half up, written when its last element
// arrives (the same figures as avg_pool). Rows and columns beyond the last whole window are
// read and dropped.
template <class T, class S> void avg_pool_stream(hls::stream<T>& in, S* sums, hls::stream<T>& out, int ch, int hh, int ww, int win) {
    const int oh = hh / win, ow = ww / win;
    const long long area = win * win;
avg_pool_line_in:
    for (int i = 0; i < ch * hh * ww; ++i) {
#pragma HLS PIPELINE II=1
        const T v = in.read();
        const int x = i % ww, y = (i / ww) % hh;
        if (y < oh * win && x < ow * win) {
            const int ox = x / win;
            const long long s = (y % win == 0 && x % win == 0 ? 0 : raw(sums[ox])) + raw(v);
            sums[ox] = s;
            if (y % win == win - 1 && x % win == win - 1) out.write(from_raw<T>(round_div(s, area)));
        }
    }
}

// Nearest up-sampling by f over a row-major stream through one input row (`row`, w elements):
// each input row is written f times, each element f times.
template <class T> void upsample_stream(hls::stream<T>& in, T* row, hls::stream<T>& out, int ch, int hh, int ww, int f) {
up_line_rows:
    for (int y = 0; y < ch * hh; ++y) {
        read_whole<T>(in, row, ww);
    up_line_copies:
        for (int i = 0; i < f * ww * f; ++i) {
#pragma HLS PIPELINE II=1
            out.write(row[(i % (ww * f)) / f]);
        }
    }
}

} // namespace intarsia
