/// Integer fixed-point math for the HLS golden reference, bit-identical to
/// `templates/hls/intarsia_math.h` (the C++ the generated kernels include).
///
/// A raw integer `x` with `frac` fraction bits stands for x / 2^frac; a format has `bits` total
/// bits (2...32) and `frac` in 0..<bits. "Q16" means 16 fraction bits (65536 is 1.0). Every
/// function mirrors its C++ namesake operation by operation: `/` and `%` truncate toward zero and
/// `>>` on a negative `Int64` is an arithmetic (floor) shift in both languages, and a negative
/// `roundShift` multiplies by a power of two. All intermediates stay within 63 bits for
/// `bits <= 32` (Swift traps on overflow, so a violated range would stop a test rather than
/// produce a silently different value). `docs/HLS_NUMERICS.md` states the approximations, the
/// constants and the measured error bounds.
public enum FixedPointMath {
    /// round(log2(e) * 2^16) = round(94548.462).
    public static let log2eQ16: Int64 = 94548
    /// round(1.702 * 2^16) = round(111542.272), the GELU sigmoid-approximation factor.
    public static let gelu1702Q16: Int64 = 111542
    /// 2^u for u in [0, 1): sum of c_k u^k with c_k in Q30; a degree-5 minimax fit of the relative
    /// error with p(0) = 1 and p(1) = 2 exact (docs/HLS_NUMERICS.md).
    public static let exp2Coefficients: [Int64] = [1_073_741_824, 744_266_011, 257_869_065, 59_934_809, 9_654_059, 2_017_880]
    /// `expQ16` saturates here (2^47 - 1).
    public static let expQ16Max: Int64 = (1 << 47) - 1
    /// |x| is clamped to 2^45 before x * log2eQ16; no result changes for frac <= 32.
    public static let expArgumentLimit: Int64 = 1 << 45

    /// s > 0: (x + 2^(s-1)) >> s, rounding half toward +infinity (ap_fixed AP_RND);
    /// s == 0: x; s < 0: x * 2^-s.
    @inlinable
    public static func roundShift(_ x: Int64, _ s: Int) -> Int64 {
        if s > 0 { return (x + (Int64(1) << (s - 1))) >> s }
        if s == 0 { return x }
        return x * (Int64(1) << (-s))
    }

    /// Clamps `x` to [-2^(bits-1), 2^(bits-1) - 1] (ap_fixed AP_SAT).
    @inlinable
    public static func saturate(_ x: Int64, bits: Int) -> Int64 {
        let hi = (Int64(1) << (bits - 1)) - 1
        let lo = -(Int64(1) << (bits - 1))
        return x > hi ? hi : (x < lo ? lo : x)
    }

    /// floor(a / b) for b > 0.
    @inlinable
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        var q = a / b
        if a % b < 0 { q -= 1 }
        return q
    }

    /// floor((2a + b) / (2b)): a / b rounded half up, for b > 0.
    @inlinable
    public static func roundDiv(_ a: Int64, _ b: Int64) -> Int64 {
        floorDiv(2 * a + b, 2 * b)
    }

    /// floor(sqrt(v)) for 0 <= v < 2^63 (0 for v < 0), exact: the bit-by-bit method in 32 steps.
    public static func isqrt(_ v: Int64) -> Int64 {
        if v <= 0 { return 0 }
        var rem = v
        var res: Int64 = 0
        for i in stride(from: 31, through: 0, by: -1) {
            let bit = Int64(1) << (2 * i)
            if rem >= res + bit {
                rem -= res + bit
                res = (res >> 1) + bit
            } else {
                res >>= 1
            }
        }
        return res
    }

    /// 2^(f / 65536) in Q16 for 0 <= f < 65536: Horner in Q30, rounded to Q16; in [65536, 131072].
    public static func exp2FracQ16(_ f: Int64) -> Int64 {
        let c = exp2Coefficients
        var p = c[5]
        p = roundShift(p * f, 16) + c[4]
        p = roundShift(p * f, 16) + c[3]
        p = roundShift(p * f, 16) + c[2]
        p = roundShift(p * f, 16) + c[1]
        p = roundShift(p * f, 16) + c[0]
        return roundShift(p, 14)
    }

    /// e^(x / 2^frac) in Q16 for any x and 0 <= frac <= 32, saturating at 2^47 - 1.
    public static func expQ16(_ x: Int64, frac: Int) -> Int64 {
        let xc = min(max(x, -expArgumentLimit), expArgumentLimit)
        let t = roundShift(xc * log2eQ16, frac)
        let n = t >> 16
        let f = t - n * 65536
        let p = exp2FracQ16(f)
        if n <= 0 { return -n <= 40 ? roundShift(p, Int(-n)) : 0 }
        if n >= 31 { return expQ16Max }
        let r = p * (Int64(1) << n)
        return r > expQ16Max ? expQ16Max : r
    }

    /// e^(x / 2^frac) in Q16 for x <= 0 (x > 0 counts as 0, giving exactly 65536); in [0, 65536].
    public static func expNegQ16(_ x: Int64, frac: Int) -> Int64 {
        expQ16(x > 0 ? 0 : x, frac: frac)
    }

    /// 1 / (1 + e^(-x / 2^frac)) in Q16, in [0, 65536].
    public static func sigmoidQ16(_ x: Int64, frac: Int) -> Int64 {
        let xc = min(max(x, -expArgumentLimit), expArgumentLimit)
        if xc >= 0 {
            let e = expNegQ16(-xc, frac: frac)
            return roundDiv(Int64(1) << 32, 65536 + e)
        }
        let e = expNegQ16(xc, frac: frac)
        return roundDiv(e * 65536, 65536 + e)
    }

    /// x * sigmoid(x), saturated to `bits`.
    public static func silu(_ x: Int64, frac: Int, bits: Int) -> Int64 {
        saturate(roundShift(x * sigmoidQ16(x, frac: frac), 16), bits: bits)
    }

    /// x * sigmoid(1.702 x) (Hendrycks & Gimpel 2016, arXiv:1606.08415, section 2), saturated.
    public static func gelu(_ x: Int64, frac: Int, bits: Int) -> Int64 {
        let x17 = roundShift(x * gelu1702Q16, 16)
        return saturate(roundShift(x * sigmoidQ16(x17, frac: frac), 16), bits: bits)
    }

    /// e^(x_i - max) / sum_j e^(x_j - max) with `frac` fraction bits, saturated to `bits`.
    /// An empty row gives an empty row (the C++ needs n >= 1).
    public static func softmaxRow(_ x: [Int64], frac: Int, bits: Int) -> [Int64] {
        guard let m = x.max() else { return [] }
        let e = x.map { expNegQ16($0 - m, frac: frac) }
        let s = e.reduce(0, +)
        return e.map { saturate(roundDiv($0 * (Int64(1) << frac), s), bits: bits) }
    }

    /// Layer normalisation without gain or bias (identity affine); `frac` fraction bits in and
    /// out, saturated to `bits`. Rows of 1...262143 values (an empty row gives an empty row).
    /// mean = round(sum / n); d_i = x_i - mean; k = the least shift with max|d_i| >> k < 2^22;
    /// e_i = roundShift(d_i, k); var = round(sum e_i^2 / n); sd = max(1, isqrt(var));
    /// y_i = round(e_i * 2^frac / sd).
    public static func layerNormRow(_ x: [Int64], frac: Int, bits: Int) -> [Int64] {
        if x.isEmpty { return [] }
        let n = Int64(x.count)
        let mean = roundDiv(x.reduce(0, +), n)
        var dmax: Int64 = 0
        for v in x { dmax = max(dmax, abs(v - mean)) }
        var k = 0  // at most 41 (dmax < 2^63); 10 for W-bit inputs
        for _ in 0..<41 where (dmax >> k) >= (1 << 22) { k += 1 }
        var ss: Int64 = 0
        for v in x {
            let e = roundShift(v - mean, k)
            ss += e * e
        }
        let sd = max(1, isqrt(roundDiv(ss, n)))
        return x.map { saturate(roundDiv(roundShift($0 - mean, k) * (Int64(1) << frac), sd), bits: bits) }
    }

    /// A stateless 32-bit hash of an element index: h = index * 0x9E3779B1 + 0x7F4A7C15
    /// (mod 2^32, the index's low 32 bits), then MurmurHash3's fmix32 finaliser.
    public static func hash32(_ index: Int64) -> UInt32 {
        var h = UInt32(truncatingIfNeeded: index) &* 0x9E37_79B1 &+ 0x7F4A_7C15
        h ^= h >> 16
        h = h &* 0x85EB_CA6B
        h ^= h >> 13
        h = h &* 0xC2B2_AE35
        h ^= h >> 16
        return h
    }

    /// Uniform noise eps in [-1, 1) for element `index`, as a raw value in [-2^frac, 2^frac): the
    /// top frac + 1 bits of `hash32(index)` minus 2^frac; 0 <= frac <= 31.
    public static func noise(index: Int64, frac: Int) -> Int64 {
        Int64(hash32(index) >> UInt32(31 - frac)) - (Int64(1) << frac)
    }

    /// z = mu + e^(logvar / 2) * eps with eps = noise(index, frac) / 2^frac, saturated to `bits`:
    /// saturate(mu + roundShift(E * eps, 16)) with E = expQ16(logvar, frac + 1) (the halving
    /// exact), computed as hi * eps + roundShift(lo * eps, 16) for E = hi * 2^16 + lo.
    public static func reparameterise(mu: Int64, logvar: Int64, index: Int64, frac: Int, bits: Int) -> Int64 {
        let e = expQ16(logvar, frac: frac + 1)
        let eps = noise(index: index, frac: frac)
        let hi = e >> 16
        let lo = e - hi * 65536
        let c = hi * eps + roundShift(lo * eps, 16)
        return saturate(mu + c, bits: bits)
    }
}
