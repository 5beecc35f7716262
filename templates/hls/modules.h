// Intarsia HLS module library: the operators of every emitted design, as function templates
// with the lanes (reduction unroll = array partition factor) and accumulator width as template
// parameters and the loop bounds as arguments. Copied unchanged into each project's src/.
//
// Arithmetic (docs/HLS.md, docs/HLS_NUMERICS.md): values are two's-complement raw integers
// (ap_int<W>, or the bits of ap_fixed<W,I,AP_RND,AP_SAT>); a MAC accumulates exact products in
// an ap_int<ACC_W> wide enough for the whole sum, then rounds half up and saturates into the
// output format (the same as an ap_fixed AP_RND/AP_SAT cast). Non-linear functions are the
// integer approximations of intarsia_math.h. The Swift reference (IntarsiaHLS.Reference)
// computes the same bits.
#pragma once
#include <ap_int.h>
#include <ap_fixed.h>
#include <hls_stream.h>
#include "intarsia_math.h"

// Dataflow regions: Intarsia's simulation stream model defines these (sequential or one thread
// per process); for synthesis they are plain calls inside a DATAFLOW region.
#ifndef INTARSIA_SIM_STREAMS
#define INTARSIA_DATAFLOW_BEGIN
#define INTARSIA_PROCESS(call) call
#define INTARSIA_DATAFLOW_END
#endif

// The MAC reduction loops' pragmas, from the design's pipelined and flatten_loops knobs (the
// emitted params.h defines them; these defaults are pipelined and flattened).
#ifndef INTARSIA_MAC_LOOP
#define INTARSIA_MAC_LOOP _Pragma("HLS PIPELINE II=1") _Pragma("HLS LOOP_FLATTEN")
#endif

namespace intarsia {

// ---- raw values of the ap types -------------------------------------------------------------
template <class T> struct raw_io;
template <int W> struct raw_io<ap_int<W> > {
    static const int width = W;
    static long long get(const ap_int<W>& v) { return v.to_int64(); }
    static ap_int<W> make(long long r) { return ap_int<W>(r); }
};
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N> struct raw_io<ap_fixed<W, I, Q, O, N> > {
    static const int width = W;
    static long long get(const ap_fixed<W, I, Q, O, N>& v) {
        ap_int<W> r;
        r.range(W - 1, 0) = v.range(W - 1, 0);
        return r.to_int64();
    }
    static ap_fixed<W, I, Q, O, N> make(long long r) {
        ap_fixed<W, I, Q, O, N> v;
        v.range(W - 1, 0) = ap_int<W>(r).range(W - 1, 0);
        return v;
    }
};
// Fraction bits: ap_fixed<W,I> has W-I; an ap_int<W> activation is read with W/2 (Intarsia's
// stated convention for integer formats, NumberFormat in the Swift reference).
template <class T> struct FRAC_OF;
template <int W> struct FRAC_OF<ap_int<W> > { static const int value = W / 2; };
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N> struct FRAC_OF<ap_fixed<W, I, Q, O, N> > { static const int value = W - I; };

template <class T> inline long long raw(const T& v) { return raw_io<T>::get(v); }
template <class T> inline T from_raw(long long r) { return raw_io<T>::make(r); }

// Accumulator to output: round half up by `shift` bits, saturate to the output width.
template <class O, int ACC_W> inline O narrow(const ap_int<ACC_W>& acc, int shift) {
    return from_raw<O>(saturate(round_shift(acc.to_int64(), shift), raw_io<O>::width));
}

// ---- MAC operators --------------------------------------------------------------------------
// One element of C = A·B per head (see HLSProgram.Kind.gemm): head h, column j, from A's row
// `a_row` (heads·k elements), the reduction unrolled over LANES lanes.
template <int LANES, int ACC_W, class A, class B>
ap_int<ACC_W> gemm_dot(const A* a_row, const B* b, int k, int n, int heads, bool transpose_b, int h, int j) {
    const int nh = n / heads;
    ap_int<ACC_W> acc = 0;
gemm_k:
    for (int t0 = 0; t0 < k; t0 += LANES) {
        INTARSIA_MAC_LOOP
    gemm_lanes:
        for (int l = 0; l < LANES; ++l) {
#pragma HLS UNROLL
            const int t = t0 + l;
            if (t < k) {
                const long long bv = transpose_b ? raw(b[j * heads * k + h * k + t]) : raw(b[t * n + h * nh + j]);
                acc += ap_int<ACC_W>(raw(a_row[h * k + t])) * ap_int<ACC_W>(bv);
            }
        }
    }
    return acc;
}

// The lanes of a step of the flattened MAC loops below (the model's MACCycleModel): along the
// reduction first (kl = min(LANES, terms)), the rest along rows (min(LANES / kl, rows) rows at
// once); a reduction takes ceil(terms / kl) steps, and each row's accumulator is cleared at its
// first step and stored at its last (by predicate, so the nest is one perfect loop).
// A weight read once: the first row step of a column (or filter) takes it from the port and,
// on one lane row, keeps it at `t` of the local buffer, where the column's other rows read it.
template <class B> inline B kept(const B& v, B* buf, int t, bool keep) {
    if (keep) buf[t] = v;
    return v;
}

// C = A·B per head: InTAR's loop nest (output columns outside, rows inside, the reduction
// innermost) as one flattened pipelined loop over heads · columns · row steps · reduction steps,
// so the MAC pipeline fills once per call, as the model pays it with flatten_loops. Each row's
// accumulator is cleared at its first reduction step and stored at its last (by predicate).
template <int LANES, int ACC_W, class A, class B, class O>
void gemm(const A* a, const B* b, O* c, int m, int k, int n, int heads, bool transpose_b, int shift) {
    const int nh = n / heads;
    const int kl = k < LANES ? k : LANES, rows = LANES / kl < m ? LANES / kl : m;
    const int ksteps = (k + kl - 1) / kl, rsteps = (m + rows - 1) / rows;
    ap_int<ACC_W> acc[LANES];
#pragma HLS ARRAY_PARTITION variable=acc complete dim=1
gemm_steps:
    for (int s = 0; s < heads * nh * rsteps * ksteps; ++s) {
        INTARSIA_MAC_LOOP
        const int ks = s % ksteps, i0 = s / ksteps % rsteps * rows, j = s / (ksteps * rsteps) % nh, h = s / (ksteps * rsteps * nh);
    gemm_lanes:
        for (int l = 0; l < LANES; ++l) {
#pragma HLS UNROLL
            const int r = l / kl, t = ks * kl + l % kl, i = i0 + r;
            if (r >= rows || i >= m) continue;
            if (ks == 0 && l % kl == 0) acc[r] = 0;
            if (t < k) {
                const long long bv = transpose_b ? raw(b[j * heads * k + h * k + t]) : raw(b[t * n + h * nh + j]);
                acc[r] += ap_int<ACC_W>(raw(a[i * heads * k + h * k + t])) * ap_int<ACC_W>(bv);
            }
            if (ks == ksteps - 1 && l % kl == kl - 1) c[i * n + h * nh + j] = narrow<O>(acc[r], shift);
        }
    }
}

// How a MAC module reads its off-chip weights (the design's weight_load knob).
enum weight_load { WL_DOUBLE_BUFFERED = 0, WL_BUFFERED = 1, WL_BLOCKING = 2 };
// One output column of C = A·W over the weight column `col` (k terms, LANES at a time).
template <int LANES, int ACC_W, class A, class B, class O>
void gemm_column(const A* a, const B* col, O* c, int m, int k, int n, int j, int shift) {
gemmc_rows:
    for (int i = 0; i < m; ++i) {
        ap_int<ACC_W> acc = 0;
    gemmc_k:
        for (int t0 = 0; t0 < k; t0 += LANES) {
            INTARSIA_MAC_LOOP
        gemmc_lanes:
            for (int l = 0; l < LANES; ++l) {
#pragma HLS UNROLL
                const int t = t0 + l;
                if (t < k) acc += ap_int<ACC_W>(raw(a[i * k + t])) * ap_int<ACC_W>(raw(col[t]));
            }
        }
        c[i * n + j] = narrow<O>(acc, shift);
    }
}

template <class B> void load_column(const B* w, B* col, int k, int j) {
load_col:
    for (int t = 0; t < k; ++t) {
#pragma HLS PIPELINE II=1
        col[t] = w[j * k + t];
    }
}

// C = A·W with off-chip weights stored column by column ([n][k], each column contiguous), each
// weight read once (InTAR's unit: columns outside, rows inside).
// WL_DOUBLE_BUFFERED: one flattened pipelined loop over columns · row steps · reduction steps;
// a column's weights are read from the port, LANES contiguous weights a step (one port word when
// LANES weights fit it: Vitis widens such a burst, UG1399 "Automatic Port Widening"), by its
// first row step, which keeps them in the column buffer for the column's other rows, so the
// loads overlap the compute and one burst latency is paid per call (the model's double-buffered
// unit: max(compute, traffic) + one burst + the first column's words).
// WL_BUFFERED: one buffer, load then compute; WL_BLOCKING: no buffer, one read per weight inside
// the reduction (only for a single row, as the published sequential baselines read).
template <int LANES, int ACC_W, int MAX_K, int LOAD, class A, class B, class O>
void gemm_weights(const A* a, const B* w, O* c, int m, int k, int n, int shift) {
    if (LOAD == WL_BLOCKING) {
    gemmw_blocking_cols:
        for (int j = 0; j < n; ++j) gemm_column<LANES, ACC_W>(a, w + j * k, c, m, k, n, j, shift);
        return;
    }
    B col[MAX_K];
#pragma HLS ARRAY_PARTITION variable=col cyclic factor=LANES dim=1
    if (LOAD == WL_BUFFERED) {
    gemmw_cols:
        for (int j = 0; j < n; ++j) {
            load_column<B>(w, col, k, j);
            gemm_column<LANES, ACC_W>(a, col, c, m, k, n, j, shift);
        }
        return;
    }
    const int kl = k < LANES ? k : LANES, rows = LANES / kl < m ? LANES / kl : m;
    const int ksteps = (k + kl - 1) / kl, rsteps = (m + rows - 1) / rows;
    ap_int<ACC_W> acc[LANES];
#pragma HLS ARRAY_PARTITION variable=acc complete dim=1
gemmw_steps:
    for (int s = 0; s < n * rsteps * ksteps; ++s) {
        INTARSIA_MAC_LOOP
        const int ks = s % ksteps, i0 = s / ksteps % rsteps * rows, j = s / (ksteps * rsteps);
    gemmw_lanes:
        for (int l = 0; l < LANES; ++l) {
#pragma HLS UNROLL
            const int r = l / kl, t = ks * kl + l % kl, i = i0 + r;
            if (r >= rows || i >= m) continue;
            if (ks == 0 && l % kl == 0) acc[r] = 0;
            if (t < k) {
                const B wv = kept(i0 == 0 ? w[j * k + t] : col[t], col, t, i0 == 0 && r == 0);
                acc[r] += ap_int<ACC_W>(raw(a[i * k + t])) * ap_int<ACC_W>(raw(wv));
            }
            if (ks == ksteps - 1 && l % kl == kl - 1) c[i * n + j] = narrow<O>(acc[r], shift);
        }
    }
}

// Convolutions, NCHW, one filter at a time: the filter's (C/G)·R·S weights (contiguous off chip,
// [K][C/G][R][S]) are read once, by the filter's first output step, which keeps them in a local
// buffer for its other outputs; each output reduces over them on the lanes as gemm does (along
// the terms first, the rest along outputs), in one flattened pipelined loop over filters ·
// output steps · reduction steps. With G groups filter f reads the C/G input channels of its
// group f / (K/G) (depthwise: G = C). A direct convolution reads input (oy·st − pad + dy,
// ox·st − pad + dx); a transposed one gathers the inputs that scatter onto the output,
// ((oy + pad − dy)/st, ...) where divisible (PyTorch's [C][K/G][R][S] weights are stored filter by
// filter by the host). Exact integer sums do not depend on the order, so the gather equals the
// input-stationary scatter.
template <bool TRANSPOSED>
inline int conv_index(int b, int c, int ch, int hh, int ww, int oy, int ox, int dy, int dx, int st, int pad) {
    int iy, ix;
    if (TRANSPOSED) {
        const int py = oy + pad - dy, px = ox + pad - dx;
        if (py < 0 || px < 0 || py % st != 0 || px % st != 0) return -1;
        iy = py / st;
        ix = px / st;
    } else {
        iy = oy * st - pad + dy;
        ix = ox * st - pad + dx;
    }
    if (iy < 0 || iy >= hh || ix < 0 || ix >= ww) return -1;
    return ((b * ch + c) * hh + iy) * ww + ix;
}

template <int LANES, int ACC_W, int MAX_TERMS, bool TRANSPOSED, class A, class B, class O>
void convolution(const A* x, const B* w, O* y, int batch, int ch, int hh, int ww, int kf, int r, int s, int st, int pad, int groups, int shift) {
    const int oh = TRANSPOSED ? (hh - 1) * st - 2 * pad + r : (hh + 2 * pad - r) / st + 1;
    const int ow = TRANSPOSED ? (ww - 1) * st - 2 * pad + s : (ww + 2 * pad - s) / st + 1;
    const int cg = ch / groups, kg = kf / groups;
    const int terms = cg * r * s, outs = batch * oh * ow;
    const int kl = terms < LANES ? terms : LANES, rows = LANES / kl < outs ? LANES / kl : outs;
    const int ksteps = (terms + kl - 1) / kl, osteps = (outs + rows - 1) / rows;
    B filt[MAX_TERMS];
#pragma HLS ARRAY_PARTITION variable=filt cyclic factor=LANES dim=1
    ap_int<ACC_W> acc[LANES];
#pragma HLS ARRAY_PARTITION variable=acc complete dim=1
conv_steps:
    for (int q = 0; q < kf * osteps * ksteps; ++q) {
        INTARSIA_MAC_LOOP
        const int ks = q % ksteps, o0 = q / ksteps % osteps * rows, f = q / (ksteps * osteps);
        const int c0 = f / kg * cg;
    conv_lanes:
        for (int l = 0; l < LANES; ++l) {
#pragma HLS UNROLL
            const int rr = l / kl, t = ks * kl + l % kl, o = o0 + rr;
            if (rr >= rows || o >= outs) continue;
            const int ox = o % ow, oy = o / ow % oh, b = o / (ow * oh);
            if (ks == 0 && l % kl == 0) acc[rr] = 0;
            if (t < terms) {
                const B wv = kept(o0 == 0 ? w[f * terms + t] : filt[t], filt, t, o0 == 0 && rr == 0);
                const int xi = conv_index<TRANSPOSED>(b, c0 + t / (r * s), ch, hh, ww, oy, ox, t / s % r, t % s, st, pad);
                if (xi >= 0) acc[rr] += ap_int<ACC_W>(raw(x[xi])) * ap_int<ACC_W>(raw(wv));
            }
            if (ks == ksteps - 1 && l % kl == kl - 1) y[((b * kf + f) * oh + oy) * ow + ox] = narrow<O>(acc[rr], shift);
        }
    }
}

template <int LANES, int ACC_W, int MAX_TERMS, class A, class B, class O>
void conv2d(const A* x, const B* w, O* y, int batch, int ch, int hh, int ww, int kf, int r, int s, int st, int pad, int groups, int shift) {
    convolution<LANES, ACC_W, MAX_TERMS, false>(x, w, y, batch, ch, hh, ww, kf, r, s, st, pad, groups, shift);
}

template <int LANES, int ACC_W, int MAX_TERMS, class A, class B, class O>
void transposed_conv2d(const A* x, const B* w, O* y, int batch, int ch, int hh, int ww, int kf, int r, int s, int st, int pad, int groups, int shift) {
    convolution<LANES, ACC_W, MAX_TERMS, true>(x, w, y, batch, ch, hh, ww, kf, r, s, st, pad, groups, shift);
}

// A transposed convolution as the model counts it (Operator.gemmView: input-stationary, rows =
// input pixels, reduction = the group's C/G channels, columns = filters · R · S): one flattened
// pipelined loop over columns · input steps · channel steps, each column's C/G weights read by
// its first input step and kept (col); a row's channel sum is added (col2im) into the output's
// exact accumulator at (iy·st − pad + dy, ix·st − pad + dx) when that lies in the output. Every
// output's accumulator (MAX_OUT of them, ACC_W bits) is cleared before and rounded and saturated
// into y after, SFU_LANES at a time. Exact sums, so the same bits as the gather in `convolution`.
template <int LANES, int SFU, int ACC_W, int MAX_K, int MAX_OUT, class A, class B, class O>
void transposed_conv2d_scatter(const A* x, const B* w, O* y, int batch, int ch, int hh, int ww, int kf, int r, int s, int st, int pad, int groups, int shift) {
    const int oh = (hh - 1) * st - 2 * pad + r, ow = (ww - 1) * st - 2 * pad + s;
    const int cg = ch / groups, kg = kf / groups, ins = batch * hh * ww, outs = batch * kf * oh * ow;
    const int kl = cg < LANES ? cg : LANES, rows = LANES / kl < ins ? LANES / kl : ins;
    const int ksteps = (cg + kl - 1) / kl, isteps = (ins + rows - 1) / rows;
    ap_int<ACC_W> part[LANES];
#pragma HLS ARRAY_PARTITION variable=part complete dim=1
    B col[MAX_K];
#pragma HLS ARRAY_PARTITION variable=col cyclic factor=LANES dim=1
    ap_int<ACC_W> acc[MAX_OUT];
#pragma HLS ARRAY_PARTITION variable=acc cyclic factor=SFU dim=1
tconv_clear:
    for (int o0 = 0; o0 < outs; o0 += SFU) {
#pragma HLS PIPELINE II=1
    tconv_clear_lanes:
        for (int l = 0; l < SFU; ++l) {
#pragma HLS UNROLL
            if (o0 + l < outs) acc[o0 + l] = 0;
        }
    }
tconv_steps:
    for (int q = 0; q < kf * r * s * isteps * ksteps; ++q) {
        INTARSIA_MAC_LOOP
        const int ks = q % ksteps, i0 = q / ksteps % isteps * rows, e = q / (ksteps * isteps);
        const int f = e / (r * s), dy = e / s % r, dx = e % s, c0 = f / kg * cg;
    tconv_lanes:
        for (int l = 0; l < LANES; ++l) {
#pragma HLS UNROLL
            const int rr = l / kl, c = ks * kl + l % kl, i = i0 + rr;
            if (rr >= rows || i >= ins) continue;
            const int ix = i % ww, iy = i / ww % hh, b = i / (ww * hh);
            if (ks == 0 && l % kl == 0) part[rr] = 0;
            if (c < cg) {
                const B wv = kept(i0 == 0 ? w[(f * cg + c) * r * s + dy * s + dx] : col[c], col, c, i0 == 0 && rr == 0);
                part[rr] += ap_int<ACC_W>(raw(x[((b * ch + c0 + c) * hh + iy) * ww + ix])) * ap_int<ACC_W>(raw(wv));
            }
            const int oy = iy * st - pad + dy, ox = ix * st - pad + dx;
            if (ks == ksteps - 1 && l % kl == kl - 1 && oy >= 0 && oy < oh && ox >= 0 && ox < ow)
                acc[((b * kf + f) * oh + oy) * ow + ox] += part[rr];
        }
    }
tconv_store:
    for (int o0 = 0; o0 < outs; o0 += SFU) {
#pragma HLS PIPELINE II=1
    tconv_store_lanes:
        for (int l = 0; l < SFU; ++l) {
#pragma HLS UNROLL
            if (o0 + l < outs) y[o0 + l] = narrow<O>(acc[o0 + l], shift);
        }
    }
}

// ---- special-function operators ------------------------------------------------------------
template <class T> void max_pool(const T* x, T* y, int ch, int hh, int ww, int win) {
    const int oh = hh / win, ow = ww / win;
pool_out:
    for (int o = 0; o < ch * oh * ow; ++o) {
        const int ox = o % ow, oy = (o / ow) % oh, c = o / (ow * oh);
        long long best = raw(x[(c * hh + oy * win) * ww + ox * win]);
    pool_win:
        for (int d = 1; d < win * win; ++d) {
#pragma HLS PIPELINE II=1
            const long long v = raw(x[(c * hh + oy * win + d / win) * ww + ox * win + d % win]);
            if (v > best) best = v;
        }
        y[o] = from_raw<T>(best);
    }
}

// Average pooling (window win, stride win): the raw sum of each window divided by win * win,
// rounded half up (round_div), as the Swift reference computes it; a mean of values of one
// format is in range, so nothing saturates.
template <class T> void avg_pool(const T* x, T* y, int ch, int hh, int ww, int win) {
    const int oh = hh / win, ow = ww / win;
    const long long area = win * win;
avg_pool_out:
    for (int o = 0; o < ch * oh * ow; ++o) {
        const int ox = o % ow, oy = (o / ow) % oh, c = o / (ow * oh);
        long long sum = 0;
    avg_pool_win:
        for (int d = 0; d < win * win; ++d) {
#pragma HLS PIPELINE II=1
            sum += raw(x[(c * hh + oy * win + d / win) * ww + ox * win + d % win]);
        }
        y[o] = from_raw<T>(round_div(sum, area));
    }
}

template <class T> void upsample(const T* x, T* y, int ch, int hh, int ww, int f) {
    const int oh = hh * f, ow = ww * f;
up_out:
    for (int o = 0; o < ch * oh * ow; ++o) {
#pragma HLS PIPELINE II=1
        const int ox = o % ow, oy = (o / ow) % oh, c = o / (ow * oh);
        y[o] = x[(c * hh + oy / f) * ww + ox / f];
    }
}

// Row-wise softmax / layer norm through a row buffer of MAX_COLS (the emitter's bound).
template <int MAX_COLS, class T> void softmax(const T* x, T* y, int rows, int cols) {
    long long in[MAX_COLS], out[MAX_COLS];
softmax_rows:
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) in[c] = raw(x[r * cols + c]);
        softmax_row(in, out, cols, FRAC_OF<T>::value, raw_io<T>::width);
        for (int c = 0; c < cols; ++c) y[r * cols + c] = from_raw<T>(out[c]);
    }
}

template <int MAX_COLS, class T> void layernorm(const T* x, T* y, int rows, int cols) {
    long long in[MAX_COLS], out[MAX_COLS];
layernorm_rows:
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) in[c] = raw(x[r * cols + c]);
        layernorm_row(in, out, cols, FRAC_OF<T>::value, raw_io<T>::width);
        for (int c = 0; c < cols; ++c) y[r * cols + c] = from_raw<T>(out[c]);
    }
}

enum activation_kind { ACT_RELU = 0, ACT_SILU = 1, ACT_GELU = 2, ACT_SIGMOID = 3, ACT_EXP = 4 };

template <class T> inline T activate(int kind, const T& v) {
    const int F = FRAC_OF<T>::value, W = raw_io<T>::width;
    const long long x = raw(v);
    long long r = x;
    switch (kind) {
    case ACT_RELU: r = x > 0 ? x : 0; break;
    case ACT_SILU: r = silu(x, F, W); break;
    case ACT_GELU: r = gelu(x, F, W); break;
    case ACT_SIGMOID: r = saturate(round_shift(sigmoid_q16(x, F), 16 - F), W); break;
    default: r = saturate(round_shift(exp_q16(x, F), 16 - F), W); break;
    }
    return from_raw<T>(r);
}

template <class T> inline T add(const T& a, const T& b) { return from_raw<T>(saturate(raw(a) + raw(b), raw_io<T>::width)); }
template <class T> inline T mul(const T& a, const T& b) {
    return from_raw<T>(saturate(round_shift(raw(a) * raw(b), FRAC_OF<T>::value), raw_io<T>::width));
}
// z = mu + e^(logvar/2)·eps for element `index` (eps: intarsia_math.h's stated hash).
template <class T> inline T reparam(const T& mu, const T& logvar, int index) {
    return from_raw<T>(reparameterise(raw(mu), raw(logvar), index, FRAC_OF<T>::value, raw_io<T>::width));
}

template <class T> void activation(const T* x, T* y, int n, int kind) {
act_loop:
    for (int i = 0; i < n; ++i) {
#pragma HLS PIPELINE II=1
        y[i] = activate<T>(kind, x[i]);
    }
}
template <class T> void add_tensors(const T* a, const T* b, T* y, int n) {
add_loop:
    for (int i = 0; i < n; ++i) {
#pragma HLS PIPELINE II=1
        y[i] = add<T>(a[i], b[i]);
    }
}
template <class T> void mul_tensors(const T* a, const T* b, T* y, int n) {
mul_loop:
    for (int i = 0; i < n; ++i) {
#pragma HLS PIPELINE II=1
        y[i] = mul<T>(a[i], b[i]);
    }
}
template <class T> void reparameterise_tensor(const T* x, T* y, int n) {
reparam_loop:
    for (int i = 0; i < n; ++i) {
#pragma HLS PIPELINE II=1
        y[i] = reparam<T>(x[i], x[n + i], i);
    }
}

// Copy n activations N a step (N = one m_axi word's worth: a burst at the port's width): the
// program templates' staging of an off-chip operand or output (ProgramEmitter.staging).
template <int N, class T> void copy_lanes(const T* src, T* dst, int n) {
copy_steps:
    for (int i0 = 0; i0 < n; i0 += N) {
#pragma HLS PIPELINE II=1
    copy_lanes:
        for (int l = 0; l < N; ++l) {
#pragma HLS UNROLL
            if (i0 + l < n) dst[i0 + l] = src[i0 + l];
        }
    }
}

// ---- special functions at the model's width (sequential and reconfigurable templates) --------
// The model's special-function unit takes SFU elements a cycle (ModelConstants.sfuWidth, at
// least 16) and visits each output element `sfuPassesPerOutput` times (softmax 3, layer norm 2,
// a pooling window's area, else 1). These bodies are one pipelined loop over the tensor, SFU
// lanes a step, so a task takes ceil(elements · passes / SFU) steps and one pipeline depth.
template <int SFU, class T> void activation_lanes(const T* x, T* y, int n, int kind) {
act_steps:
    for (int i0 = 0; i0 < n; i0 += SFU) {
#pragma HLS PIPELINE II=1
    act_lanes:
        for (int l = 0; l < SFU; ++l) {
#pragma HLS UNROLL
            if (i0 + l < n) y[i0 + l] = activate<T>(kind, x[i0 + l]);
        }
    }
}
template <int SFU, class T> void add_lanes(const T* a, const T* b, T* y, int n) {
add_steps:
    for (int i0 = 0; i0 < n; i0 += SFU) {
#pragma HLS PIPELINE II=1
    add_lanes:
        for (int l = 0; l < SFU; ++l) {
#pragma HLS UNROLL
            if (i0 + l < n) y[i0 + l] = add<T>(a[i0 + l], b[i0 + l]);
        }
    }
}
template <int SFU, class T> void mul_lanes(const T* a, const T* b, T* y, int n) {
mul_steps:
    for (int i0 = 0; i0 < n; i0 += SFU) {
#pragma HLS PIPELINE II=1
    mul_lanes:
        for (int l = 0; l < SFU; ++l) {
#pragma HLS UNROLL
            if (i0 + l < n) y[i0 + l] = mul<T>(a[i0 + l], b[i0 + l]);
        }
    }
}
template <int SFU, class T> void reparameterise_lanes(const T* x, T* y, int n) {
reparam_steps:
    for (int i0 = 0; i0 < n; i0 += SFU) {
#pragma HLS PIPELINE II=1
    reparam_lanes:
        for (int l = 0; l < SFU; ++l) {
#pragma HLS UNROLL
            if (i0 + l < n) y[i0 + l] = reparam<T>(x[i0 + l], x[n + i0 + l], i0 + l);
        }
    }
}
template <int SFU, class T> void upsample_lanes(const T* x, T* y, int ch, int hh, int ww, int f) {
    const int oh = hh * f, ow = ww * f;
up_steps:
    for (int o0 = 0; o0 < ch * oh * ow; o0 += SFU) {
#pragma HLS PIPELINE II=1
    up_lanes:
        for (int l = 0; l < SFU; ++l) {
#pragma HLS UNROLL
            const int o = o0 + l, ox = o % ow, oy = o / ow % oh, c = o / (ow * oh);
            if (o < ch * oh * ow) y[o] = x[(c * hh + oy / f) * ww + ox / f];
        }
    }
}
// Max (AVG false) or average pooling, window win, stride win: the lanes cover the window first
// (kl = min(SFU, win²) elements), the rest outputs, as the MAC loops lay theirs; a window's
// running maximum or exact sum is kept per lane row (average: round_div by the area at its
// last step, as avg_pool).
template <int SFU, bool AVG, class T> void pool_lanes(const T* x, T* y, int ch, int hh, int ww, int win) {
    const int oh = hh / win, ow = ww / win, outs = ch * oh * ow, area = win * win;
    const int kl = area < SFU ? area : SFU, rows = SFU / kl < outs ? SFU / kl : outs;
    const int ksteps = (area + kl - 1) / kl, osteps = (outs + rows - 1) / rows;
    long long acc[SFU];
#pragma HLS ARRAY_PARTITION variable=acc complete dim=1
pool_steps:
    for (int q = 0; q < osteps * ksteps; ++q) {
#pragma HLS PIPELINE II=1
        const int ks = q % ksteps, o0 = q / ksteps * rows;
    pool_lanes:
        for (int l = 0; l < SFU; ++l) {
#pragma HLS UNROLL
            const int rr = l / kl, d = ks * kl + l % kl, o = o0 + rr;
            if (rr >= rows || o >= outs) continue;
            const int ox = o % ow, oy = o / ow % oh, c = o / (ow * oh);
            if (d < area) {
                const long long v = raw(x[(c * hh + oy * win + d / win) * ww + ox * win + d % win]);
                if (d == 0) acc[rr] = v;
                else if (AVG) acc[rr] += v;
                else if (v > acc[rr]) acc[rr] = v;
            }
            if (ks == ksteps - 1 && l % kl == kl - 1) y[o] = from_raw<T>(AVG ? round_div(acc[rr], area) : acc[rr]);
        }
    }
}
// Softmax over rows of `cols`: three passes a row (the maximum; the sum of e^(x - max); the
// quotients, e^(x - max) computed again), SFU elements a step, one pipelined loop over rows ·
// passes · chunks; the same arithmetic as softmax_row. A pass reads the statistic the row's
// previous pass finished one step earlier (a loop-carried dependence Vitis must schedule).
template <int SFU, class T> void softmax_lanes(const T* x, T* y, int rows, int cols) {
    const int F = FRAC_OF<T>::value, W = raw_io<T>::width;
    const int chunks = (cols + SFU - 1) / SFU;
    long long m = 0, s = 0;
softmax_steps:
    for (int q = 0; q < rows * 3 * chunks; ++q) {
#pragma HLS PIPELINE II=1
        const int c0 = q % chunks * SFU, pass = q / chunks % 3, r = q / (3 * chunks);
    softmax_lanes:
        for (int l = 0; l < SFU; ++l) {
#pragma HLS UNROLL
            const int c = c0 + l;
            if (c >= cols) continue;
            const long long v = raw(x[r * cols + c]);
            if (pass == 0) {
                if (c == 0 || v > m) m = v;
            } else if (pass == 1) {
                if (c == 0) s = 0;
                s += exp_neg_q16(v - m, F);
            } else {
                y[r * cols + c] = from_raw<T>(saturate(round_div(exp_neg_q16(v - m, F) * (1LL << F), s), W));
            }
        }
    }
}
// Layer norm over rows of `cols`: three passes a row (sum, minimum and maximum, whose distances
// to the mean give layernorm_row's max|d|; the sum of squares; the outputs), SFU elements a
// step, one pipelined loop; the same arithmetic as layernorm_row. The model counts two passes.
template <int SFU, class T> void layernorm_lanes(const T* x, T* y, int rows, int cols) {
    const int F = FRAC_OF<T>::value, W = raw_io<T>::width;
    const int chunks = (cols + SFU - 1) / SFU;
    long long sum = 0, lo = 0, hi = 0, ss = 0, mean = 0, sd = 1;
    int k = 0;
layernorm_steps:
    for (int q = 0; q < rows * 3 * chunks; ++q) {
#pragma HLS PIPELINE II=1
        const int c0 = q % chunks * SFU, pass = q / chunks % 3, r = q / (3 * chunks);
        if (pass == 1 && c0 == 0) {
            mean = round_div(sum, cols);
            k = norm_shift(hi - mean > mean - lo ? hi - mean : mean - lo);
            ss = 0;
        }
        if (pass == 2 && c0 == 0) sd = norm_sd(ss, cols);
    layernorm_lanes:
        for (int l = 0; l < SFU; ++l) {
#pragma HLS UNROLL
            const int c = c0 + l;
            if (c >= cols) continue;
            const long long v = raw(x[r * cols + c]);
            if (pass == 0) {
                sum = c == 0 ? v : sum + v;
                lo = c == 0 || v < lo ? v : lo;
                hi = c == 0 || v > hi ? v : hi;
            } else if (pass == 1) {
                const long long e = round_shift(v - mean, k);
                ss += e * e;
            } else {
                y[r * cols + c] = from_raw<T>(saturate(round_div(round_shift(v - mean, k) * (1LL << F), sd), W));
            }
        }
    }
}

// ---- streams (dataflow template) ------------------------------------------------------------
template <class T> void load_stream(const T* src, hls::stream<T>& out, int n) {
load_loop:
    for (int i = 0; i < n; ++i) {
#pragma HLS PIPELINE II=1
        out.write(src[i]);
    }
}
template <class T> void store_stream(hls::stream<T>& in, T* dst, int n) {
store_loop:
    for (int i = 0; i < n; ++i) {
#pragma HLS PIPELINE II=1
        dst[i] = in.read();
    }
}
template <class T> void read_whole(hls::stream<T>& in, T* buf, int n) {
read_loop:
    for (int i = 0; i < n; ++i) {
#pragma HLS PIPELINE II=1
        buf[i] = in.read();
    }
}
template <class T> void write_whole(const T* buf, hls::stream<T>& out, int n) {
write_loop:
    for (int i = 0; i < n; ++i) {
#pragma HLS PIPELINE II=1
        out.write(buf[i]);
    }
}
// Element-streaming special functions: one element in, one out, no buffering.
template <class T> void activation_stream(hls::stream<T>& in, hls::stream<T>& out, int n, int kind) {
act_stream_loop:
    for (int i = 0; i < n; ++i) {
#pragma HLS PIPELINE II=1
        out.write(activate<T>(kind, in.read()));
    }
}
template <class T> void add_stream(hls::stream<T>& a, hls::stream<T>& b, hls::stream<T>& out, int n) {
add_stream_loop:
    for (int i = 0; i < n; ++i) {
#pragma HLS PIPELINE II=1
        out.write(add<T>(a.read(), b.read()));
    }
}
template <class T> void mul_stream(hls::stream<T>& a, hls::stream<T>& b, hls::stream<T>& out, int n) {
mul_stream_loop:
    for (int i = 0; i < n; ++i) {
#pragma HLS PIPELINE II=1
        out.write(mul<T>(a.read(), b.read()));
    }
}
// Row-streaming softmax / layer norm: a row in, the row out.
template <int MAX_COLS, class T> void softmax_stream(hls::stream<T>& in, hls::stream<T>& out, int rows, int cols) {
    T row[MAX_COLS];
softmax_stream_rows:
    for (int r = 0; r < rows; ++r) {
        read_whole<T>(in, row, cols);
        softmax<MAX_COLS, T>(row, row, 1, cols);
        write_whole<T>(row, out, cols);
    }
}
template <int MAX_COLS, class T> void layernorm_stream(hls::stream<T>& in, hls::stream<T>& out, int rows, int cols) {
    T row[MAX_COLS];
layernorm_stream_rows:
    for (int r = 0; r < rows; ++r) {
        read_whole<T>(in, row, cols);
        layernorm<MAX_COLS, T>(row, row, 1, cols);
        write_whole<T>(row, out, cols);
    }
}

} // namespace intarsia
#include "stream_modules.h"  // the dataflow template's streaming task bodies
