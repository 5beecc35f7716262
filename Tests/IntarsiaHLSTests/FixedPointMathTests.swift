import Foundation
import Testing
@testable import IntarsiaHLS

/// FixedPointMath (the Swift golden reference) and templates/hls/intarsia_math.h (the C++ the
/// kernels include): hand-worked values, the error bounds docs/HLS_NUMERICS.md states (checked
/// against Foundation's exp/erf in Double), and bit-for-bit agreement of the two implementations
/// under g++ (also under UBSan).
@Suite struct FixedPointMathTests {
    private typealias M = FixedPointMath

    // MARK: Hand-worked values

    @Test func roundShiftRoundsHalfTowardPlusInfinity() {
        #expect(M.roundShift(5, 1) == 3)  // 2.5 -> 3
        #expect(M.roundShift(-5, 1) == -2)  // -2.5 -> -2 (half up, not away from zero)
        #expect(M.roundShift(-6, 2) == -1)  // -1.5 -> -1
        #expect(M.roundShift(-7, 2) == -2)  // -1.75 -> -2
        #expect(M.roundShift(6, 2) == 2)  // 1.5 -> 2
        #expect(M.roundShift(1, 1) == 1)  // 0.5 -> 1
        #expect(M.roundShift(-1, 1) == 0)  // -0.5 -> 0
        #expect(M.roundShift(-3, 1) == -1)  // -1.5 -> -1
        #expect(M.roundShift(-(1 << 40), 41) == 0)  // -0.5 -> 0
        #expect(M.roundShift(-(1 << 40) - 1, 41) == -1)  // just below -0.5
        #expect(M.roundShift(7, 0) == 7)
        #expect(M.roundShift(3, -2) == 12)
        #expect(M.roundShift(-3, -3) == -24)
    }

    @Test func saturateClampsToTheFormat() {
        #expect(M.saturate(127, bits: 8) == 127)
        #expect(M.saturate(128, bits: 8) == 127)
        #expect(M.saturate(-128, bits: 8) == -128)
        #expect(M.saturate(-129, bits: 8) == -128)
        #expect(M.saturate(0, bits: 8) == 0)
        #expect(M.saturate(5, bits: 2) == 1)
        #expect(M.saturate(-5, bits: 2) == -2)
        #expect(M.saturate(-2, bits: 2) == -2)
        #expect(M.saturate(1 << 31, bits: 32) == (1 << 31) - 1)
        #expect(M.saturate(-(1 << 31) - 1, bits: 32) == -(1 << 31))
        #expect(M.saturate(Int64.max, bits: 16) == 32767)
        #expect(M.saturate(Int64.min, bits: 16) == -32768)
    }

    @Test func floorAndRoundedDivision() {
        #expect(M.floorDiv(7, 2) == 3)
        #expect(M.floorDiv(-7, 2) == -4)
        #expect(M.floorDiv(-6, 2) == -3)
        #expect(M.floorDiv(-1, 5) == -1)
        #expect(M.floorDiv(0, 3) == 0)
        #expect(M.floorDiv(-9, 3) == -3)
        #expect(M.roundDiv(7, 2) == 4)  // 3.5 -> 4
        #expect(M.roundDiv(-7, 2) == -3)  // -3.5 -> -3
        #expect(M.roundDiv(-5, 3) == -2)  // -1.67 -> -2
        #expect(M.roundDiv(-4, 3) == -1)  // -1.33 -> -1
        #expect(M.roundDiv(5, 3) == 2)  // 1.67 -> 2
        #expect(M.roundDiv(-1, 2) == 0)  // -0.5 -> 0
        #expect(M.roundDiv(1, 2) == 1)  // 0.5 -> 1
        #expect(M.roundDiv(-3, 2) == -1)  // -1.5 -> -1
    }

    @Test func isqrtIsExact() {
        #expect(M.isqrt(0) == 0)
        #expect(M.isqrt(1) == 1)
        #expect(M.isqrt(2) == 1)
        #expect(M.isqrt(3) == 1)
        #expect(M.isqrt(4) == 2)
        #expect(M.isqrt(-5) == 0)
        #expect(M.isqrt(1 << 62) == 1 << 31)
        #expect(M.isqrt((1 << 62) - 1) == (1 << 31) - 1)
        // 3037000499^2 = 9223372030926249001 <= 2^63 - 1 < 3037000500^2.
        #expect(M.isqrt(Int64.max) == 3_037_000_499)
        var rng = MathTestRandom(seed: 7)
        var wrong = 0
        for _ in 0..<20_000 {
            let k = Int64(rng.next() % 3_037_000_499) + 1  // 1 ... 3037000499, so k^2 < 2^63
            let sq = k * k
            if M.isqrt(sq) != k { wrong += 1 }
            if M.isqrt(sq - 1) != k - 1 { wrong += 1 }
            if k < 3_037_000_499 && M.isqrt(sq + 2 * k) != k { wrong += 1 }  // (k+1)^2 - 1
        }
        #expect(wrong == 0)
    }

    @Test func expAtZeroAndTheFractionPolynomialsEnds() {
        for f in 0...32 {
            #expect(M.expNegQ16(0, frac: f) == 65536)
            #expect(M.expNegQ16(12345, frac: f) == 65536)  // x > 0 counts as 0
            #expect(M.expQ16(0, frac: f) == 65536)
        }
        // The coefficients sum to 2^31: p(1) = 2 exactly.
        #expect(M.exp2Coefficients.reduce(0, +) == 1 << 31)
        #expect(M.exp2Coefficients[0] == 1 << 30)
        #expect(M.exp2FracQ16(0) == 65536)
        #expect(M.exp2FracQ16(65535) == 131071)  // 65536 * 2^(65535/65536) = 131070.61
        #expect(M.exp2FracQ16(32768) == 92682)  // 65536 * sqrt(2) = 92681.90
        // 94548 = round(log2(e) * 2^16), 111542 = round(1.702 * 2^16).
        #expect(abs(Double(M.log2eQ16) - log2(exp(1.0)) * 65536) <= 0.5)
        #expect(abs(Double(M.gelu1702Q16) - 1.702 * 65536) <= 0.5)
        // Far below: 0; far above: saturated at 2^47 - 1; extreme inputs are clamped, not overflowed.
        #expect(M.expNegQ16(-(40 << 8), frac: 8) == 0)  // e^-40 * 65536 = 2.8e-13
        #expect(M.expNegQ16(Int64.min, frac: 0) == 0)
        #expect(M.expQ16(Int64.max, frac: 31) == (1 << 47) - 1)
        #expect(M.expQ16(22 << 12, frac: 12) == (1 << 47) - 1)  // e^22 > 2^31
        #expect(M.expQ16(21 << 12, frac: 12) < (1 << 47) - 1)  // e^21 < 2^31
    }

    @Test func expAndSigmoidAreMonotoneAndSigmoidIsSymmetric() {
        for f in [0, 4, 8, 12] {
            let lim = Int64(16) << f
            var prevE = M.expNegQ16(-lim - 1, frac: f), prevS = M.sigmoidQ16(-lim - 1, frac: f)
            var monotone = true, symmetric = true
            for x in -lim...lim {
                let e = M.expNegQ16(x, frac: f), s = M.sigmoidQ16(x, frac: f)
                if e < prevE || s < prevS { monotone = false }
                // s(x) + s(-x) = 65536 exactly: both quotients share the divisor 65536 + e and
                // their numerators sum to 65536 * (65536 + e); neither can be a tie (a tie needs
                // 65536 + e = 2^33).
                if s + M.sigmoidQ16(-x, frac: f) != 65536 { symmetric = false }
                prevE = e
                prevS = s
            }
            #expect(monotone, "frac \(f)")
            #expect(symmetric, "frac \(f)")
        }
        #expect(M.sigmoidQ16(0, frac: 8) == 32768)
        #expect(M.sigmoidQ16(Int64.max, frac: 0) == 65536)
        #expect(M.sigmoidQ16(Int64.min, frac: 0) == 0)
    }

    @Test func siluAndGeluHandWorked() {
        // silu(0) = gelu(0) = 0; silu(1) = 1 * sigmoid(1) = 0.7311 -> round(0.7311 * 256) = 187.
        #expect(M.silu(0, frac: 8, bits: 16) == 0)
        #expect(M.gelu(0, frac: 8, bits: 16) == 0)
        #expect(M.silu(256, frac: 8, bits: 16) == 187)
        // Large positive x passes through (sigmoid is exactly 1 in Q16), large negative gives 0.
        #expect(M.silu(100 << 8, frac: 8, bits: 16) == 100 << 8)
        #expect(M.gelu(100 << 8, frac: 8, bits: 16) == 100 << 8)
        #expect(M.silu(-100 << 8, frac: 8, bits: 16) == 0)
        #expect(M.gelu(-100 << 8, frac: 8, bits: 16) == 0)
        // Saturation: the largest Q8.8 value passes through; Q4.4's largest too.
        #expect(M.silu(32767, frac: 8, bits: 16) == 32767)
        #expect(M.gelu(127, frac: 4, bits: 8) == 127)
        #expect(M.silu(-128, frac: 4, bits: 8) == 0)  // -8 * sigmoid(-8) = -0.0027 -> 0
    }

    @Test func softmaxHandWorked() {
        // Equal entries: 1/n each. 2^8 / 4 = 64; 2^8 / 3 = 85.33 -> 85.
        #expect(M.softmaxRow([5, 5, 5, 5], frac: 8, bits: 16) == [64, 64, 64, 64])
        #expect(M.softmaxRow([-7, -7, -7], frac: 8, bits: 16) == [85, 85, 85])
        // One entry: 1.0 (256), or saturated to 127 when 1.0 is not representable (Q1.7).
        #expect(M.softmaxRow([1234], frac: 8, bits: 16) == [256])
        #expect(M.softmaxRow([3], frac: 7, bits: 8) == [127])
        // A gap of 64 real units: e^-64 vanishes.
        #expect(M.softmaxRow([0, -(64 << 4)], frac: 4, bits: 8) == [16, 0])
        #expect(M.softmaxRow([], frac: 4, bits: 8) == [])
        // Extreme W = 32 row: min and max differ by 2^32 - 1 raw units.
        #expect(M.softmaxRow([Int64(Int32.min), Int64(Int32.max)], frac: 16, bits: 32) == [0, 65536])
    }

    @Test func layerNormHandWorked() {
        // [-1, 1]: mean 0, sd 1 -> [-1, 1].
        #expect(M.layerNormRow([-256, 256], frac: 8, bits: 16) == [-256, 256])
        // A constant row: deviations 0 (sd floored at one raw unit).
        #expect(M.layerNormRow([77, 77, 77, 77], frac: 8, bits: 16) == [0, 0, 0, 0])
        // [1, 2, 3, 4] in Q8.8: mean 640 (2.5), var = 1.25 * 2^16 = 81920, sd = isqrt(81920) = 286,
        // y = round(d * 256 / 286) for d = -384, -128, 128, 384: -343.72, -114.57, 114.57, 343.72.
        #expect(M.layerNormRow([256, 512, 768, 1024], frac: 8, bits: 16) == [-344, -115, 115, 344])
        // W = 32 extremes: mean round(-1/2) = 0, max|d| = 2^31 -> k = 10, e = -2^21 and 2^21,
        // var = 2^42, sd = 2^21, y = -1.0 and 1.0.
        #expect(M.layerNormRow([Int64(Int32.min), Int64(Int32.max)], frac: 8, bits: 32) == [-256, 256])
        #expect(M.layerNormRow([], frac: 8, bits: 16) == [])
    }

    @Test func noiseHashValuesAndRange() {
        // h = index * 0x9E3779B1 + 0x7F4A7C15 (mod 2^32), then fmix32; values worked out with an
        // independent (Python) implementation of the stated hash.
        #expect(M.hash32(0) == 1_270_938_603)
        #expect(M.hash32(1) == 3_189_491_506)
        #expect(M.hash32(2) == 3_918_239_014)
        #expect(M.hash32(1000) == 260_310_101)
        #expect(M.hash32(-1) == 1_423_889_180)
        #expect(M.hash32((1 << 32) + 5) == M.hash32(5))  // only the low 32 bits count
        #expect(M.hash32(5) == 3_957_061_498)
        #expect(M.noise(index: 0, frac: 8) == -105)  // 1270938603 >> 23 = 151, minus 256
        #expect(M.noise(index: 1, frac: 8) == 124)
        #expect(M.noise(index: 0, frac: 0) == -1)  // top bit 0 -> -1
        #expect(M.noise(index: 1, frac: 0) == 0)
        #expect(M.noise(index: 0, frac: 31) == 1_270_938_603 - (1 << 31))
        // Uniform on [-2^F, 2^F): range, mean (-1/2 raw for the discrete uniform) and 16 equal bins.
        for f in [4, 8, 12] {
            let count = 1 << 16
            var lo = Int64.max, hi = Int64.min, sum = 0.0
            var bins = [Int](repeating: 0, count: 16)
            for i in 0..<count {
                let v = M.noise(index: Int64(i), frac: f)
                lo = min(lo, v)
                hi = max(hi, v)
                sum += Double(v)
                bins[Int((v + (1 << f)) >> (f + 1 - 4))] += 1
            }
            #expect(lo == -(1 << f) && hi == (1 << f) - 1, "frac \(f)")
            // The mean of 65536 uniform values has sd 2^F / sqrt(3 * 65536) = 0.00226 * 2^F.
            #expect(abs(sum / Double(count) + 0.5) <= 0.01 * Double(1 << f), "frac \(f)")
            // Each bin expects 4096 with sd 62; allow 5 sd.
            #expect(bins.allSatisfy { abs($0 - 4096) <= 310 }, "frac \(f): \(bins)")
        }
    }

    @Test func reparameteriseHandWorked() {
        // eps = 0 leaves mu; logvar = 0 gives sigma = 1: z = mu + eps.
        let eps0 = M.noise(index: 0, frac: 8)  // -105
        #expect(M.reparameterise(mu: 300, logvar: 0, index: 0, frac: 8, bits: 16) == 300 + eps0)
        // logvar = 2 ln 2 (sigma 2): z = mu + 2 eps within a raw unit.
        let lv = Int64((2 * log(2.0) * 4096).rounded())
        let z = M.reparameterise(mu: 0, logvar: lv, index: 1, frac: 12, bits: 24)
        #expect(abs(z - 2 * M.noise(index: 1, frac: 12)) <= 1)
        // A huge logvar saturates toward eps's sign.
        let big = Int64((1 << 23) - 1)
        for i in Int64(0)..<64 {
            let e = M.noise(index: i, frac: 4)
            let z = M.reparameterise(mu: 5, logvar: big, index: i, frac: 4, bits: 24)
            #expect(z == (e > 0 ? big : e < 0 ? -(1 << 23) : 5), "index \(i)")
        }
    }

    // MARK: Stated error bounds (docs/HLS_NUMERICS.md)

    /// The formats the bounds are checked on: F in {4, 8, 12}, W in {8, 16, 24}, F < W.
    static let formats: [(Int, Int)] = [(4, 8), (4, 16), (8, 16), (12, 16), (4, 24), (8, 24), (12, 24)]

    @Test(arguments: [4, 8, 12])
    func expNegQ16ErrorBound(frac: Int) {
        let scale = Double(1 << frac)
        var worst = 0.0
        for x in stride(from: Int64(0), through: -(Int64(14) << frac), by: -1) {
            worst = max(worst, abs(Double(M.expNegQ16(x, frac: frac)) - 65536 * exp(Double(x) / scale)))
        }
        #expect(worst <= StatedBound.expNegQ16, "worst \(worst) Q16 units")
    }

    @Test(arguments: [4, 8, 12])
    func expQ16RelativeErrorBound(frac: Int) {
        let scale = Double(1 << frac)
        var worst = 0.0
        for x in stride(from: Int64(0), through: Int64(21.4 * scale), by: 1) {
            let v = Double(x) / scale
            let rel = abs(Double(M.expQ16(x, frac: frac)) / (65536 * exp(v)) - 1)
            worst = max(worst, rel / (StatedBound.expRelative + StatedBound.expRelativePerUnit * v))
        }
        #expect(worst <= 1, "worst fraction of the bound \(worst)")
    }

    @Test(arguments: [4, 8, 12])
    func sigmoidErrorBound(frac: Int) {
        let scale = Double(1 << frac)
        let lim = Int64(20) << frac
        var worst = 0.0
        for x in -lim...lim {
            worst = max(worst, abs(Double(M.sigmoidQ16(x, frac: frac)) - 65536 / (1 + exp(-Double(x) / scale))))
        }
        #expect(worst <= StatedBound.sigmoidQ16, "worst \(worst) Q16 units")
    }

    @Test(arguments: FixedPointMathTests.formats)
    func siluErrorBound(frac: Int, bits: Int) {
        let scale = Double(1 << frac)
        var worst = 0.0, at = 0.0
        for x in Self.grid(frac: frac, bits: bits) {
            let v = Double(x) / scale
            let ref = Self.clamp(v / (1 + exp(-v)), frac: frac, bits: bits)
            let err = abs(Double(M.silu(x, frac: frac, bits: bits)) / scale - ref)
            if err > worst { (worst, at) = (err, v) }
        }
        let bound = 0.5 / scale + StatedBound.silu
        #expect(worst <= bound, "worst \(worst) at \(at), bound \(bound)")
    }

    @Test(arguments: FixedPointMathTests.formats)
    func geluErrorBoundAgainstTheErfDefinition(frac: Int, bits: Int) {
        let scale = Double(1 << frac)
        var worst = 0.0, at = 0.0
        for x in Self.grid(frac: frac, bits: bits) {
            let v = Double(x) / scale
            let ref = Self.clamp(0.5 * v * (1 + erf(v / 2.0.squareRoot())), frac: frac, bits: bits)
            let err = abs(Double(M.gelu(x, frac: frac, bits: bits)) / scale - ref)
            if err > worst { (worst, at) = (err, v) }
        }
        let bound = 0.5 / scale + StatedBound.geluForm + StatedBound.geluPerStep / scale
        #expect(worst <= bound, "worst \(worst) at \(at), bound \(bound)")
        // The sigmoid form's own error (0.02033 at |x| = 2.27) shows up whenever 2.27 is on the grid.
        #expect(worst >= 0.018)
    }

    @Test(arguments: FixedPointMathTests.formats)
    func softmaxErrorBound(frac: Int, bits: Int) {
        let scale = Double(1 << frac)
        var rng = MathTestRandom(seed: UInt64(100 * frac + bits))
        var worst = 0.0
        for _ in 0..<3000 {
            let n = Int(rng.next() % 64) + 1
            let spread = Double(1 << (rng.next() % 6)) / 2  // 0.5 ... 16 real units
            let x = (0..<n).map { _ in Self.clampRaw((rng.unit() * 2 - 1) * spread * scale, bits: bits) }
            let y = M.softmaxRow(x, frac: frac, bits: bits)
            let m = x.max()!
            let e = x.map { exp(Double($0 - m) / scale) }
            let s = e.reduce(0, +)
            for i in 0..<n {
                let p = e[i] / s
                let err = abs(Double(y[i]) / scale - Self.clamp(p, frac: frac, bits: bits))
                let bound = 0.5 / scale + StatedBound.expNegQ16 * (1 + Double(n - 1) * p) / (65536 * s)
                worst = max(worst, err / bound)
            }
        }
        #expect(worst <= 1, "worst fraction of the bound \(worst)")
    }

    @Test(arguments: FixedPointMathTests.formats + [(8, 32), (16, 32)])
    func layerNormErrorBound(frac: Int, bits: Int) {
        let scale = Double(1 << frac)
        var rng = MathTestRandom(seed: UInt64(1000 + 100 * frac + bits))
        var worstNarrow = 0.0, worstWide = 0.0, checked = 0, wide = 0
        for _ in 0..<3000 {
            let n = Int(rng.next() % 63) + 2
            let spreadBits = 4 + Int(rng.next() % UInt64(bits - 3))  // rows spanning 2^4 ... 2^bits raw units
            let centre = Int64(rng.next() % (UInt64(1) << (bits - 1))) - (Int64(1) << (bits - 2))
            let x = (0..<n).map { _ in
                Self.clampRaw(Double(centre + Int64(rng.next() % (UInt64(1) << spreadBits)) - (Int64(1) << (spreadBits - 1))), bits: bits)
            }
            let y = M.layerNormRow(x, frac: frac, bits: bits)
            let mean = x.reduce(0.0) { $0 + Double($1) } / Double(n)
            let sd = (x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(n)).squareRoot()
            let span = Double(x.max()! - x.min()!)
            let narrow = span < Double(1 << 22)  // then k = 0
            // Wide rows: 2^k <= span / 2^21, so sd / 2^k >= sd * 2^21 / span.
            let sdUnits = narrow ? sd : sd * Double(1 << 21) / span
            if sdUnits < 8 { continue }
            checked += 1
            if !narrow { wide += 1 }
            for i in 0..<n {
                let z = (Double(x[i]) - mean) / sd
                let err = abs(Double(y[i]) / scale - Self.clamp(z, frac: frac, bits: bits)) - 0.5 / scale
                if narrow {
                    worstNarrow = max(worstNarrow, err / ((0.5 + 1.04 * abs(z)) / (sdUnits - 1.04)))
                } else {
                    worstWide = max(worstWide, err / ((0.75 + 1.83 * abs(z)) / (sdUnits - 1.83)))
                }
            }
        }
        #expect(checked >= 1500)
        #expect(bits < 24 || wide >= 100, "rows spanning 2^22 raw units or more: \(wide)")
        #expect(worstNarrow <= 1, "worst fraction of the bound (span < 2^22) \(worstNarrow)")
        #expect(worstWide <= 1, "worst fraction of the bound (span >= 2^22) \(worstWide)")
    }

    @Test(arguments: FixedPointMathTests.formats)
    func reparameteriseErrorBound(frac: Int, bits: Int) {
        let scale = Double(1 << frac)
        var rng = MathTestRandom(seed: UInt64(2000 + 100 * frac + bits))
        let hi = (Int64(1) << (bits - 1)) - 1, lo = -(Int64(1) << (bits - 1))
        let lvMax = min(hi, Int64(32) << frac)  // logvar within [-32, 32] real units
        var worst = 0.0
        for _ in 0..<100_000 {
            let mu = lo + Int64(rng.next() % (UInt64(1) << bits))
            let logvar = -lvMax + Int64(rng.next() % UInt64(2 * lvMax + 1))
            let index = Int64(rng.next() % 1_000_000)
            let z = M.reparameterise(mu: mu, logvar: logvar, index: index, frac: frac, bits: bits)
            let eps = Double(M.noise(index: index, frac: frac)) / scale
            if eps == 0 {
                #expect(z == mu)
                continue
            }
            let half = Double(logvar) / scale / 2, sigma = exp(half)
            let ref = Self.clamp(Double(mu) / scale + sigma * eps, frac: frac, bits: bits)
            let err = abs(Double(z) / scale - ref) - 0.5 / scale
            let bound = abs(eps) * (StatedBound.expNegQ16 / 65536
                + sigma * (StatedBound.expRelative + StatedBound.expRelativePerUnit * max(half, 0)))
            worst = max(worst, err / bound)
        }
        #expect(worst <= 1, "worst fraction of the bound \(worst)")
    }

    // MARK: Bit-for-bit agreement with the C++ header

    @Test func cppHeaderMatchesSwiftBitForBit() throws {
        try Self.compareWithCpp(name: "o2", flags: ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Werror"])
    }

    @Test func cppHeaderHasNoUndefinedBehaviour() throws {
        try Self.compareWithCpp(name: "ubsan", flags: ["-std=c++20", "-O1", "-Wall", "-Wextra", "-Werror",
                                                       "-fsanitize=undefined", "-fno-sanitize-recover=all"])
    }

    // MARK: Helpers

    /// Every W-bit value for W <= 16; for wider formats every value within 24 real units of 0,
    /// a stride through the whole range, and the extremes.
    static func grid(frac: Int, bits: Int) -> [Int64] {
        let lo = -(Int64(1) << (bits - 1)), hi = (Int64(1) << (bits - 1)) - 1
        if bits <= 16 { return Array(lo...hi) }
        let window = Int64(24) << frac
        return Array(max(lo, -window)...min(hi, window)) + Array(stride(from: lo, through: hi, by: 4099)) + [lo, lo + 1, hi - 1, hi]
    }

    /// A real value clamped to what the format can hold.
    static func clamp(_ v: Double, frac: Int, bits: Int) -> Double {
        let scale = Double(1 << frac)
        return min(Double((Int64(1) << (bits - 1)) - 1) / scale, max(-Double(Int64(1) << (bits - 1)) / scale, v))
    }

    static func clampRaw(_ v: Double, bits: Int) -> Int64 {
        M.saturate(Int64(v.rounded()), bits: bits)
    }

    /// Cases for the C++ driver: one op code and its operands per case; the Swift values, one
    /// integer per line, in the order the driver prints them.
    static func bitExactCases() -> (input: String, expected: [String]) {
        var input: [String] = []
        var expected: [String] = []
        func add(_ op: Int, _ args: [Int64], _ results: [String]) {
            input.append(([String(op)] + args.map(String.init)).joined(separator: " "))
            expected += results
        }
        func one(_ op: Int, _ args: [Int64], _ r: Int64) { add(op, args, [String(r)]) }
        var rng = MathTestRandom(seed: 42)
        func signed(_ magnitudeBits: Int) -> Int64 {
            let m = UInt64(1) << magnitudeBits
            return Int64(rng.next() % (2 * m)) - Int64(m)
        }

        // round_shift over its precondition range.
        for s in -20...40 {
            for _ in 0..<40 {
                let x = s >= 0 ? signed(50) : signed(61 + s)
                one(1, [x, Int64(s)], M.roundShift(x, s))
            }
            for x: Int64 in [0, 1, -1, 2, -2, 3, -3, 5, -5, 6, -6, 7, -7] { one(1, [x, Int64(s)], M.roundShift(x, s)) }
        }
        // floor_div, round_div, isqrt.
        for _ in 0..<3000 {
            let a = signed(Int(rng.next() % 60) + 1)
            let b = Int64(rng.next() % (UInt64(1) << (rng.next() % 40 + 1))) + 1
            one(3, [a, b], M.floorDiv(a, b))
            one(4, [a, b], M.roundDiv(a, b))
            one(3, [a - a % b, b], M.floorDiv(a - a % b, b))
            one(4, [-b / 2, b], M.roundDiv(-b / 2, b))
        }
        var roots: [Int64] = [0, 1, 2, 3, 4, 5, 8, 9, 15, 16, 17, -1, Int64.max, 1 << 62, (1 << 62) - 1, (1 << 62) + 1]
        for _ in 0..<2000 {
            let k = Int64(rng.next() % 3_037_000_499) + 1
            roots += [k * k, k * k - 1, Int64(rng.next() >> 1)]
        }
        for v in roots { one(5, [v], M.isqrt(v)) }
        // The polynomial for every f.
        for f in Int64(0)..<65536 { one(6, [f], M.exp2FracQ16(f)) }
        // exp at extreme arguments and every F up to 32.
        let extremes: [Int64] = [Int64.min, Int64.min + 1, -(1 << 50), -(1 << 45) - 1, -(1 << 45), -(1 << 45) + 1,
                                 -(1 << 31), -1, 0, 1, (1 << 31) - 1, (1 << 45) - 1, 1 << 45, (1 << 45) + 1, 1 << 50, Int64.max]
        for f in 0...32 {
            for x in extremes {
                one(7, [x, Int64(f)], M.expNegQ16(x, frac: f))
                one(8, [x, Int64(f)], M.expQ16(x, frac: f))
                if f <= 31 { one(9, [x, Int64(f)], M.sigmoidQ16(x, frac: f)) }
            }
        }
        // Every operator over a grid per format, boundaries included.
        var formats: [(frac: Int, bits: Int)] = []
        for bits in [2, 3, 8, 12, 16, 24, 31, 32] {
            for frac in Set([0, 1, bits / 2, bits - 1]).sorted() where frac < bits { formats.append((frac, bits)) }
        }
        for (frac, bits) in formats {
            let lo = -(Int64(1) << (bits - 1)), hi = (Int64(1) << (bits - 1)) - 1
            let F = Int64(frac), W = Int64(bits)
            var values: [Int64] = [lo, lo + 1, -1, 0, 1, hi - 1, hi, Int64(1) << frac, -(Int64(1) << frac), (Int64(1) << frac) - 1, 1 - (Int64(1) << frac)]
            values += (0...128).map { lo + Int64((Double(hi - lo) * Double($0) / 128).rounded()) }
            values += (0..<150).map { _ in lo + Int64(rng.next() % (UInt64(1) << bits)) }
            values = values.filter { $0 >= lo && $0 <= hi }
            for x in values {
                one(2, [x * 3, W], M.saturate(x * 3, bits: bits))
                one(7, [x, F], M.expNegQ16(x, frac: frac))
                one(8, [x, F], M.expQ16(x, frac: frac))
                one(9, [x, F], M.sigmoidQ16(x, frac: frac))
                one(10, [x, F, W], M.silu(x, frac: frac, bits: bits))
                one(11, [x, F, W], M.gelu(x, frac: frac, bits: bits))
                let logvar = values[Int(rng.next() % UInt64(values.count))]
                let index = Int64(rng.next() % (1 << 40)) - (1 << 39)
                one(14, [x, logvar, index, F, W], M.reparameterise(mu: x, logvar: logvar, index: index, frac: frac, bits: bits))
                one(14, [x, hi, index, F, W], M.reparameterise(mu: x, logvar: hi, index: index, frac: frac, bits: bits))
                one(14, [x, lo, index, F, W], M.reparameterise(mu: x, logvar: lo, index: index, frac: frac, bits: bits))
            }
            var rows: [[Int64]] = [[lo], [hi], [lo, hi], [hi, lo, lo], [0, 0, 0], [lo, lo, hi, hi, 0, 1, -1]]
            for _ in 0..<12 { rows.append((0..<Int(rng.next() % 40 + 1)).map { _ in values[Int(rng.next() % UInt64(values.count))] }) }
            for row in rows {
                add(15, [F, W, Int64(row.count)] + row, M.softmaxRow(row, frac: frac, bits: bits).map(String.init))
                add(16, [F, W, Int64(row.count)] + row, M.layerNormRow(row, frac: frac, bits: bits).map(String.init))
            }
        }
        // The hash and the noise.
        var indices: [Int64] = [0, 1, 2, -1, Int64.min, Int64.max, 1 << 32, (1 << 32) + 5, 0xFFFF_FFFF]
        indices += (0..<200).map { _ in Int64(bitPattern: rng.next()) }
        for i in indices {
            add(12, [i], [String(M.hash32(i))])
            for f in 0...31 { one(13, [i, Int64(f)], M.noise(index: i, frac: f)) }
        }
        return (input.joined(separator: "\n") + "\n", expected)
    }

    static let driverSource = #"""
    #include "intarsia_math.h"
    #include <cstdio>
    #include <vector>
    using namespace intarsia;

    static bool get(std::FILE* in, long long* v, int k) {
        for (int i = 0; i < k; ++i)
            if (std::fscanf(in, "%lld", &v[i]) != 1) return false;
        return true;
    }
    static void put(long long v) { std::printf("%lld\n", v); }

    int main(int argc, char** argv) {
        if (argc != 2) return 2;
        std::FILE* in = std::fopen(argv[1], "r");
        if (!in) return 2;
        long long op;
        long long a[8];
        std::vector<long long> row, out;
        while (std::fscanf(in, "%lld", &op) == 1) {
            switch (op) {
            case 1: if (!get(in, a, 2)) return 3; put(round_shift(a[0], (int)a[1])); break;
            case 2: if (!get(in, a, 2)) return 3; put(saturate(a[0], (int)a[1])); break;
            case 3: if (!get(in, a, 2)) return 3; put(floor_div(a[0], a[1])); break;
            case 4: if (!get(in, a, 2)) return 3; put(round_div(a[0], a[1])); break;
            case 5: if (!get(in, a, 1)) return 3; put(isqrt(a[0])); break;
            case 6: if (!get(in, a, 1)) return 3; put(exp2_frac_q16(a[0])); break;
            case 7: if (!get(in, a, 2)) return 3; put(exp_neg_q16(a[0], (int)a[1])); break;
            case 8: if (!get(in, a, 2)) return 3; put(exp_q16(a[0], (int)a[1])); break;
            case 9: if (!get(in, a, 2)) return 3; put(sigmoid_q16(a[0], (int)a[1])); break;
            case 10: if (!get(in, a, 3)) return 3; put(silu(a[0], (int)a[1], (int)a[2])); break;
            case 11: if (!get(in, a, 3)) return 3; put(gelu(a[0], (int)a[1], (int)a[2])); break;
            case 12: if (!get(in, a, 1)) return 3; std::printf("%u\n", hash32(a[0])); break;
            case 13: if (!get(in, a, 2)) return 3; put(noise(a[0], (int)a[1])); break;
            case 14: if (!get(in, a, 5)) return 3; put(reparameterise(a[0], a[1], a[2], (int)a[3], (int)a[4])); break;
            case 15:
            case 16: {
                if (!get(in, a, 3)) return 3;
                const int n = (int)a[2];
                row.assign(n, 0);
                out.assign(n, 0);
                if (!get(in, row.data(), n)) return 3;
                if (op == 15) softmax_row(row.data(), out.data(), n, (int)a[0], (int)a[1]);
                else layernorm_row(row.data(), out.data(), n, (int)a[0], (int)a[1]);
                for (int i = 0; i < n; ++i) put(out[i]);
                break;
            }
            default: return 4;
            }
        }
        std::fclose(in);
        return 0;
    }
    """#

    static func compareWithCpp(name: String, flags: [String]) throws {
        let dir = try Toolchain.scratch("fixed-point-\(name)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try driverSource.write(to: dir.appendingPathComponent("driver.cpp"), atomically: true, encoding: .utf8)
        let (input, expected) = bitExactCases()
        try input.write(to: dir.appendingPathComponent("cases.txt"), atomically: true, encoding: .utf8)
        let build = try Toolchain.run("g++", flags + ["-I", Toolchain.hlsTemplates.path, "driver.cpp", "-o", "driver"], in: dir)
        try #require(build.status == 0, "g++ \(flags.joined(separator: " ")) failed:\n\(build.output)")
        let run = try Toolchain.run("./driver", ["cases.txt"], in: dir)
        try #require(run.status == 0, "driver exited with \(run.status):\n\(run.stderr.prefix(4000))")
        let got = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(got.count == expected.count)
        var mismatches: [String] = []
        for (i, (g, e)) in zip(got, expected).enumerated() where g != e {
            mismatches.append("line \(i + 1): C++ \(g), Swift \(e)")
            if mismatches.count == 10 { break }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(expected.count > 100_000)
    }
}

/// The bounds docs/HLS_NUMERICS.md states (the approximation part; the quantisation step is
/// added where it applies).
private enum StatedBound {
    /// |exp_neg_q16 - 65536 e^v| in Q16 units, quantisation included (0.5 + 0.61).
    static let expNegQ16 = 1.11
    /// Relative error of exp_q16 for x >= 0 below saturation: 1.32e-5 + 4.9e-6 * v.
    static let expRelative = 1.32e-5
    static let expRelativePerUnit = 4.9e-6
    /// |sigmoid_q16 - 65536 sigma(v)| in Q16 units, quantisation included (0.5 + 0.55).
    static let sigmoidQ16 = 1.05
    /// silu beyond the half step, real units.
    static let silu = 9.5e-5
    /// gelu against the erf definition beyond the half step: 0.0204 + 0.066 * 2^-F real units.
    static let geluForm = 0.0204
    static let geluPerStep = 0.066
}

/// SplitMix64 (Steele, Lea & Flood 2014): the same rows on every run.
private struct MathTestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / 9_007_199_254_740_992 }
}
