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
        let bits = s.activationFormat.bits, frac = s.activationFormat.frac
        switch s.kind {
        case let .gemm(m, k, n, heads, transposeB):
            return gemm(s, a: x[0], b: s.hasWeights ? w : x[1], m: m, k: k, n: n, heads: heads, transposeB: transposeB)
        case let .conv2d(batch, ch, hh, ww, kf, r, q, st, pad, groups):
            return conv2d(s, x[0], w, ConvShape(batch: batch, channels: ch, height: hh, width: ww, filters: kf, kernelH: r, kernelW: q, stride: st, padding: pad, groups: groups))
        case let .transposedConv2d(batch, ch, hh, ww, kf, r, q, st, pad, groups):
            return transposedConv2d(s, x[0], w, ConvShape(batch: batch, channels: ch, height: hh, width: ww, filters: kf, kernelH: r, kernelW: q, stride: st, padding: pad, groups: groups))
        case let .maxPool(ch, hh, ww, win):
            return maxPool(x[0], channels: ch, height: hh, width: ww, window: win)
        case let .avgPool(ch, hh, ww, win):
            return avgPool(x[0], channels: ch, height: hh, width: ww, window: win)
        case let .upsample(ch, hh, ww, f):
            return upsample(x[0], channels: ch, height: hh, width: ww, factor: f)
        case let .softmax(rows, cols):
            return byRow(x[0], rows: rows, cols: cols) { FixedPointMath.softmaxRow($0, frac: frac, bits: bits) }
        case let .layerNorm(rows, cols):
            return byRow(x[0], rows: rows, cols: cols) { FixedPointMath.layerNormRow($0, frac: frac, bits: bits) }
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
    /// column ([n][k]); a transposed convolution's [C][K/G][R][S] filter by filter
    /// ([K][C/G][R][S]: filter f of group f / (K/G) followed by its group's C/G channels); a
    /// convolution's [K][C/G][R][S] as it is.
    public static func offChipLayout(_ s: HLSProgram.Step, _ w: [Int64]) -> [Int64] {
        switch s.kind {
        case let .gemm(_, k, n, _, _):
            var out = [Int64](repeating: 0, count: k * n)
            for t in 0..<k { for j in 0..<n { out[j * k + t] = w[t * n + j] } }
            return out
        case let .transposedConv2d(_, c, _, _, kf, r, q, _, _, g):
            let rs = r * q, cg = c / g, kg = kf / g
            var out = [Int64](repeating: 0, count: cg * kf * rs)
            for ci in 0..<c {
                for fl in 0..<kg {
                    let f = ci / cg * kg + fl
                    for e in 0..<rs { out[(f * cg + ci % cg) * rs + e] = w[(ci * kg + fl) * rs + e] }
                }
            }
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
