import IntarsiaCore

/// The Swift reference of every emitted operator, on raw two's-complement values (Int64), bit
/// for bit what the C++ modules in templates/hls compute: MACs accumulate exactly (the
/// accumulator is wide enough by construction, see `HLSProgram.Step.accumulatorBits`), then
/// round half up and saturate into the output format; non-linear functions are the integer
/// approximations of `FixedPointMath` (docs/HLS_NUMERICS.md).
public enum Reference {
    /// Inputs and weights for one run, drawn from a seeded generator: activations uniform in
    /// [−1, 1] (raw [−2^F, 2^F], clipped to the format), weights uniform in ±2^F/⌈√terms⌉ raw
    /// (at least ±1), so that sums stay mostly inside the output range.
    public struct Data: Sendable {
        public var input: [Int64]
        /// Per step: its weights (empty when it has none).
        public var weights: [[Int64]]
    }

    public static func randomData(_ p: HLSProgram, seed: UInt64) -> Data {
        var rng = SplitMix64(seed: seed)
        func uniform(_ lo: Int64, _ hi: Int64) -> Int64 { lo + Int64(rng.next() % UInt64(hi - lo + 1)) }
        let f = p.activationFormat
        let a = min(Int64(1) << f.frac, f.maxRaw)
        let input = (0..<p.graphInputElements).map { _ in uniform(-a, a) }
        let weights: [[Int64]] = p.steps.map { s in
            guard s.hasWeights else { return [] }
            let terms = max(1, s.reduction)
            var root = 1
            while root * root < terms { root += 1 }
            let r = min(max(1, (Int64(1) << s.weightFormat.frac) / Int64(root)), s.weightFormat.maxRaw)
            return (0..<s.weightElements).map { _ in uniform(-r, r) }
        }
        return Data(input: input, weights: weights)
    }

    /// Every step's output, in step order.
    public static func run(_ p: HLSProgram, _ d: Data) -> [[Int64]] {
        var out: [[Int64]] = []
        out.reserveCapacity(p.steps.count)
        for (i, s) in p.steps.enumerated() {
            let ins: [[Int64]] = s.inputs.map {
                switch $0 {
                case .graphInput: return d.input
                case .task(let t): return out[t]
                case .weights: return d.weights[i]
                }
            }
            out.append(evaluate(s, inputs: ins, weights: d.weights[i]))
        }
        return out
    }

    /// One step on its operands.
    public static func evaluate(_ s: HLSProgram.Step, inputs x: [[Int64]], weights w: [Int64]) -> [Int64] {
        let fmt = s.activationFormat
        let bits = fmt.bits, frac = fmt.frac
        func narrow(_ acc: Int64) -> Int64 { FixedPointMath.saturate(FixedPointMath.roundShift(acc, s.requantizeShift), bits: bits) }
        switch s.kind {
        case let .gemm(m, k, n, heads, transposeB):
            let a = x[0], b = s.hasWeights ? w : x[1]
            let nh = n / heads
            var c = [Int64](repeating: 0, count: m * n)
            for h in 0..<heads {
                for i in 0..<m {
                    let aRow = i * heads * k + h * k
                    for j in 0..<nh {
                        var acc: Int64 = 0
                        for t in 0..<k {
                            let bv = transposeB ? b[j * heads * k + h * k + t] : b[t * n + h * nh + j]
                            acc += a[aRow + t] * bv
                        }
                        c[i * n + h * nh + j] = narrow(acc)
                    }
                }
            }
            return c
        case let .conv2d(batch, ch, hh, ww, kf, r, q, st, pad):
            let oh = (hh + 2 * pad - r) / st + 1, ow = (ww + 2 * pad - q) / st + 1
            var o = [Int64](repeating: 0, count: batch * kf * oh * ow)
            for b in 0..<batch {
                for f in 0..<kf {
                    for y in 0..<oh {
                        for xx in 0..<ow {
                            var acc: Int64 = 0
                            for c in 0..<ch {
                                for dy in 0..<r {
                                    let iy = y * st - pad + dy
                                    if iy < 0 || iy >= hh { continue }
                                    for dx in 0..<q {
                                        let ix = xx * st - pad + dx
                                        if ix < 0 || ix >= ww { continue }
                                        acc += x[0][((b * ch + c) * hh + iy) * ww + ix] * w[((f * ch + c) * r + dy) * q + dx]
                                    }
                                }
                            }
                            o[((b * kf + f) * oh + y) * ow + xx] = narrow(acc)
                        }
                    }
                }
            }
            return o
        case let .transposedConv2d(batch, ch, hh, ww, kf, r, q, st, pad):
            let oh = (hh - 1) * st - 2 * pad + r, ow = (ww - 1) * st - 2 * pad + q
            var acc = [Int64](repeating: 0, count: batch * kf * oh * ow)
            for b in 0..<batch {
                for c in 0..<ch {
                    for iy in 0..<hh {
                        for ix in 0..<ww {
                            let v = x[0][((b * ch + c) * hh + iy) * ww + ix]
                            for f in 0..<kf {
                                for dy in 0..<r {
                                    let y = iy * st - pad + dy
                                    if y < 0 || y >= oh { continue }
                                    for dx in 0..<q {
                                        let xx = ix * st - pad + dx
                                        if xx < 0 || xx >= ow { continue }
                                        acc[((b * kf + f) * oh + y) * ow + xx] += v * w[((c * kf + f) * r + dy) * q + dx]
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return acc.map(narrow)
        case let .maxPool(ch, hh, ww, win):
            let oh = hh / win, ow = ww / win
            var o = [Int64](repeating: 0, count: ch * oh * ow)
            for c in 0..<ch {
                for y in 0..<oh {
                    for xx in 0..<ow {
                        var best = Int64.min
                        for dy in 0..<win {
                            for dx in 0..<win { best = max(best, x[0][(c * hh + y * win + dy) * ww + xx * win + dx]) }
                        }
                        o[(c * oh + y) * ow + xx] = best
                    }
                }
            }
            return o
        case let .upsample(ch, hh, ww, f):
            let oh = hh * f, ow = ww * f
            var o = [Int64](repeating: 0, count: ch * oh * ow)
            for c in 0..<ch {
                for y in 0..<oh {
                    for xx in 0..<ow { o[(c * oh + y) * ow + xx] = x[0][(c * hh + y / f) * ww + xx / f] }
                }
            }
            return o
        case let .softmax(rows, cols):
            var o: [Int64] = []
            o.reserveCapacity(rows * cols)
            for r in 0..<rows { o += FixedPointMath.softmaxRow(Array(x[0][(r * cols)..<((r + 1) * cols)]), frac: frac, bits: bits) }
            return o
        case let .layerNorm(rows, cols):
            var o: [Int64] = []
            o.reserveCapacity(rows * cols)
            for r in 0..<rows { o += FixedPointMath.layerNormRow(Array(x[0][(r * cols)..<((r + 1) * cols)]), frac: frac, bits: bits) }
            return o
        case let .add(e):
            return (0..<e).map { FixedPointMath.saturate(x[0][$0] + x[1][$0], bits: bits) }
        case let .multiply(e):
            return (0..<e).map { FixedPointMath.saturate(FixedPointMath.roundShift(x[0][$0] * x[1][$0], frac), bits: bits) }
        case let .reparameterise(e):
            return (0..<e).map { FixedPointMath.reparameterise(mu: x[0][$0], logvar: x[0][e + $0], index: Int64($0), frac: frac, bits: bits) }
        case let .activation(e, f):
            return (0..<e).map { activation(f, x[0][$0], frac: frac, bits: bits) }
        }
    }

    /// Weights in the order the emitted modules read them off chip: a GEMM's [k][n] column by
    /// column ([n][k]); a transposed convolution's [C][K][R][S] filter by filter ([K][C][R][S]);
    /// a convolution's [K][C][R][S] as it is.
    public static func offChipLayout(_ s: HLSProgram.Step, _ w: [Int64]) -> [Int64] {
        switch s.kind {
        case let .gemm(_, k, n, _, _):
            var out = [Int64](repeating: 0, count: k * n)
            for t in 0..<k { for j in 0..<n { out[j * k + t] = w[t * n + j] } }
            return out
        case let .transposedConv2d(_, c, _, _, kf, r, q, _, _):
            let rs = r * q
            var out = [Int64](repeating: 0, count: c * kf * rs)
            for ci in 0..<c { for f in 0..<kf { for e in 0..<rs { out[(f * c + ci) * rs + e] = w[(ci * kf + f) * rs + e] } } }
            return out
        default:
            return w
        }
    }

    /// One element through an activation function, in the activations' format.
    public static func activation(_ f: HLSProgram.Activation, _ v: Int64, frac: Int, bits: Int) -> Int64 {
        switch f {
        case .relu: return max(0, v)
        case .silu: return FixedPointMath.silu(v, frac: frac, bits: bits)
        case .gelu: return FixedPointMath.gelu(v, frac: frac, bits: bits)
        case .sigmoid: return FixedPointMath.saturate(FixedPointMath.roundShift(FixedPointMath.sigmoidQ16(v, frac: frac), 16 - frac), bits: bits)
        case .exp: return FixedPointMath.saturate(FixedPointMath.roundShift(FixedPointMath.expQ16(v, frac: frac), 16 - frac), bits: bits)
        }
    }
}
