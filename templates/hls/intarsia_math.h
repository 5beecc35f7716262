// intarsia_math.h: integer fixed-point math for the generated HLS kernels.
//
// Bit-identical to Sources/IntarsiaHLS/Reference/FixedPointMath.swift (the golden reference);
// Tests/IntarsiaHLSTests/FixedPointMathTests.swift compiles this header with g++ and compares
// every function with the Swift values. docs/HLS_NUMERICS.md states the approximations, the
// constants and the measured error bounds.
//
// Conventions
// - A raw integer x with F fraction bits stands for x / 2^F. A format has W total bits
//   (2 <= W <= 32) and F in [0, W-1]; a W-bit value lies in [-2^(W-1), 2^(W-1) - 1].
// - "Q16" means 16 fraction bits (65536 is 1.0).
// - Only long long / int / unsigned integer arithmetic: no floating point, no library calls,
//   no dynamic memory. Every intermediate stays within 63 bits for W <= 32 (the ranges are noted
//   at each function); nothing relies on signed overflow.
// - Plain C++11 (compiles warning-free as C++11/14/17/20 with -Wall -Wextra -Wpedantic).
// - `/` and `%` truncate toward zero (C++11 and later; Swift does the same).
// - `>>` on a negative long long is an arithmetic (floor) shift. C++17 leaves it
//   implementation-defined; g++, clang and Vitis HLS define it as arithmetic, and C++20 requires
//   it. Left shifts of negative values (undefined before C++20) are never used: a negative
//   round_shift multiplies by a power of two instead.
#ifndef INTARSIA_MATH_H
#define INTARSIA_MATH_H

namespace intarsia {

// round(log2(e) * 2^16) = round(94548.462) and round(1.702 * 2^16) = round(111542.272).
const long long kLog2eQ16 = 94548;
const long long kGelu1702Q16 = 111542;
// 2^u for u in [0, 1): p(u) = sum c_k u^k with c_k in Q30, a degree-5 minimax fit of the relative
// error with p(0) = 1 and p(1) = 2 exact (docs/HLS_NUMERICS.md says how it was fitted).
const long long kExp2C0 = 1073741824;
const long long kExp2C1 = 744266011;
const long long kExp2C2 = 257869065;
const long long kExp2C3 = 59934809;
const long long kExp2C4 = 9654059;
const long long kExp2C5 = 2017880;
// exp_q16 saturates here (2^47 - 1, just below 2^31 as a real number).
const long long kExpQ16Max = (1LL << 47) - 1;
// |x| is clamped to 2^45 before x * kLog2eQ16 (< 2^62); this never changes a result for F <= 32
// (|x| / 2^F >= 2^13 either way: the result is 0 or saturated).
const long long kExpArgLimit = 1LL << 45;

// s > 0: (x + 2^(s-1)) >> s, rounding half toward +infinity (ap_fixed AP_RND);
// s == 0: x; s < 0: x * 2^-s. Needs 0 <= s <= 62 with x + 2^(s-1) < 2^63, or
// -62 <= s < 0 with |x| * 2^-s < 2^63.
inline long long round_shift(long long x, int s) {
    if (s > 0) return (x + (1LL << (s - 1))) >> s;
    if (s == 0) return x;
    return x * (1LL << (-s));
}

// Clamps x to [-2^(W-1), 2^(W-1) - 1] (ap_fixed AP_SAT); 1 <= W <= 63.
inline long long saturate(long long x, int W) {
    const long long hi = (1LL << (W - 1)) - 1;
    const long long lo = -(1LL << (W - 1));
    return x > hi ? hi : (x < lo ? lo : x);
}

// floor(a / b) for b > 0.
inline long long floor_div(long long a, long long b) {
    long long q = a / b;
    if (a % b < 0) q -= 1;
    return q;
}

// floor((2a + b) / (2b)) = a / b rounded half up, for b > 0 with |2a + b| and 2b below 2^63.
inline long long round_div(long long a, long long b) {
    return floor_div(2 * a + b, 2 * b);
}

// floor(sqrt(v)) for 0 <= v < 2^63 (0 for v < 0), exact: the bit-by-bit (digit-by-digit) method,
// 32 fixed steps; res + bit < 2^63 throughout.
inline long long isqrt(long long v) {
    if (v <= 0) return 0;
    long long rem = v;
    long long res = 0;
    for (int i = 31; i >= 0; --i) {
        const long long bit = 1LL << (2 * i);
        if (rem >= res + bit) {
            rem -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
    }
    return res;
}

// 2^(f / 65536) in Q16 for 0 <= f < 65536: Horner in Q30 (products below 2^48), rounded to Q16.
// Result in [65536, 131072].
inline long long exp2_frac_q16(long long f) {
    long long p = kExp2C5;
    p = round_shift(p * f, 16) + kExp2C4;
    p = round_shift(p * f, 16) + kExp2C3;
    p = round_shift(p * f, 16) + kExp2C2;
    p = round_shift(p * f, 16) + kExp2C1;
    p = round_shift(p * f, 16) + kExp2C0;
    return round_shift(p, 14);
}

// e^(x / 2^F) in Q16 for any x and 0 <= F <= 32, saturating at 2^47 - 1.
// t = round(x * log2(e) * 2^16 / 2^F) (|t| < 2^62), n = floor(t / 2^16), f = t - n * 2^16;
// result = 2^(f/65536) * 2^n, rounded (n < 0) or shifted left (n > 0).
inline long long exp_q16(long long x, int F) {
    if (x > kExpArgLimit) x = kExpArgLimit;
    if (x < -kExpArgLimit) x = -kExpArgLimit;
    const long long t = round_shift(x * kLog2eQ16, F);
    const long long n = t >> 16;
    const long long f = t - n * 65536;
    const long long p = exp2_frac_q16(f);
    if (n <= 0) return -n <= 40 ? round_shift(p, static_cast<int>(-n)) : 0;
    if (n >= 31) return kExpQ16Max;
    const long long r = p * (1LL << n);  // p <= 2^17, n <= 30: r <= 2^47
    return r > kExpQ16Max ? kExpQ16Max : r;
}

// e^(x / 2^F) in Q16 for x <= 0 (x > 0 counts as 0, giving exactly 65536). Result in [0, 65536].
inline long long exp_neg_q16(long long x, int F) {
    return exp_q16(x > 0 ? 0 : x, F);
}

// 1 / (1 + e^(-x / 2^F)) in Q16, in [0, 65536]. Any x (clamped to |x| <= 2^45 first, which
// changes nothing since exp_q16 clamps there too).
inline long long sigmoid_q16(long long x, int F) {
    if (x > kExpArgLimit) x = kExpArgLimit;
    if (x < -kExpArgLimit) x = -kExpArgLimit;
    if (x >= 0) {
        const long long e = exp_neg_q16(-x, F);
        return round_div(1LL << 32, 65536 + e);
    }
    const long long e = exp_neg_q16(x, F);
    return round_div(e * 65536, 65536 + e);  // e * 65536 <= 2^32
}

// x * sigmoid(x), W-bit result; |x| < 2^46 (any W-bit x).
inline long long silu(long long x, int F, int W) {
    return saturate(round_shift(x * sigmoid_q16(x, F), 16), W);
}

// x * sigmoid(1.702 x) (Hendrycks & Gimpel 2016, arXiv:1606.08415, section 2), W-bit result;
// |x| < 2^46 (any W-bit x).
inline long long gelu(long long x, int F, int W) {
    const long long x17 = round_shift(x * kGelu1702Q16, 16);
    return saturate(round_shift(x * sigmoid_q16(x17, F), 16), W);
}

// y_i = e^(x_i - max) / sum_j e^(x_j - max) with F fraction bits, W-bit results; n >= 1,
// W-bit inputs (then x_i - max > -2^32, e_i <= 2^16, s <= n * 2^16, e_i * 2^F <= 2^47).
// y may be x (in place): y holds the e_i between the passes.
inline void softmax_row(const long long* x, long long* y, int n, int F, int W) {
    long long m = x[0];
    for (int i = 1; i < n; ++i) m = x[i] > m ? x[i] : m;
    long long s = 0;
    for (int i = 0; i < n; ++i) {
        y[i] = exp_neg_q16(x[i] - m, F);
        s += y[i];
    }
    for (int i = 0; i < n; ++i) y[i] = saturate(round_div(y[i] * (1LL << F), s), W);
}

// Layer norm's shift k: the least with dmax >> k < 2^22 (at most 41: dmax < 2^63; 10 for W-bit
// inputs), and its standard deviation max(1, isqrt(round(ss / n))) (layernorm_row below).
inline int norm_shift(long long dmax) {
    int k = 0;
    for (int j = 0; j < 41; ++j) k += (dmax >> k) >= (1LL << 22) ? 1 : 0;
    return k;
}
inline long long norm_sd(long long ss, int n) {
    const long long sd = isqrt(round_div(ss, n));
    return sd < 1 ? 1 : sd;
}

// Layer normalisation without gain or bias (identity affine), F fraction bits in and out, W-bit
// results; 1 <= n <= 262143, W-bit inputs. mean = round(sum / n); d_i = x_i - mean (|d_i| < 2^32);
// k = the least shift with max|d_i| >> k < 2^22 (k = 0 unless the row spans 2^22 raw units or
// more; the ratio d/sd does not depend on k); e_i = round_shift(d_i, k) (|e_i| <= 2^22);
// var = round(sum e_i^2 / n) (sum <= n * 2^44); sd = max(1, isqrt(var));
// y_i = round(e_i * 2^F / sd) (|e_i * 2^F| <= 2^53). With k = 0, var has 2F fraction bits and
// sd has F. y may be x (in place).
inline void layernorm_row(const long long* x, long long* y, int n, int F, int W) {
    long long sum = 0;
    for (int i = 0; i < n; ++i) sum += x[i];
    const long long mean = round_div(sum, n);
    long long dmax = 0;
    for (int i = 0; i < n; ++i) {
        const long long d = x[i] - mean;
        const long long a = d < 0 ? -d : d;
        dmax = a > dmax ? a : dmax;
    }
    const int k = norm_shift(dmax);
    long long ss = 0;
    for (int i = 0; i < n; ++i) {
        const long long e = round_shift(x[i] - mean, k);
        ss += e * e;
    }
    const long long sd = norm_sd(ss, n);
    for (int i = 0; i < n; ++i) y[i] = saturate(round_div(round_shift(x[i] - mean, k) * (1LL << F), sd), W);
}

// A stateless 32-bit hash: h = index * 0x9E3779B1 + 0x7F4A7C15 (mod 2^32, index's low 32 bits),
// then MurmurHash3's fmix32 finaliser. unsigned is 32 bits wide (g++, Vitis HLS), so the
// products wrap modulo 2^32 (well defined for unsigned).
inline unsigned hash32(long long index) {
    unsigned h = static_cast<unsigned>(index) * 0x9E3779B1u + 0x7F4A7C15u;
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

// Uniform noise eps in [-1, 1) for element `index`, as a raw value in [-2^F, 2^F): the top F + 1
// bits of hash32(index) minus 2^F; 0 <= F <= 31.
inline long long noise(long long index, int F) {
    return static_cast<long long>(hash32(index) >> (31 - F)) - (1LL << F);
}

// z = mu + e^(logvar / 2) * eps with eps = noise(index, F) / 2^F:
// saturate(mu + round_shift(E * eps, 16), W) with E = exp_q16(logvar, F + 1), which is
// e^(logvar / 2) in Q16 with the halving exact (one more fraction bit instead of a rounded
// logvar / 2), E <= 2^47 - 1. E * eps (up to 2^78) is never formed: with E = hi * 2^16 + lo,
// round_shift(E * eps, 16) = hi * eps + round_shift(lo * eps, 16) exactly (hi < 2^31,
// |eps| <= 2^31, lo < 2^16: |hi * eps| <= 2^62). W-bit mu and logvar; 0 <= F <= 31.
// exp_q16's saturation never changes z for W <= 31 (|E * eps| / 2^16 >= 2^31 - 1 >= 2^W whenever
// eps != 0); for W = 32 it can, once e^(logvar / 2) exceeds 2^31 (logvar > 42.9).
inline long long reparameterise(long long mu, long long logvar, long long index, int F, int W) {
    const long long e = exp_q16(logvar, F + 1);
    const long long eps = noise(index, F);
    const long long hi = e >> 16;
    const long long lo = e - hi * 65536;
    const long long c = hi * eps + round_shift(lo * eps, 16);
    return saturate(mu + c, W);
}

}  // namespace intarsia

#endif  // INTARSIA_MATH_H
