/// The operator a task computes, with its shape. Dimensions are element counts.
public enum Operator: Hashable, Sendable {
    /// C[m×n] = A[m×k] · B[k×n]. `weightsOffChip`: B is a parameter read from off-chip memory;
    /// when false B is an on-chip activation produced by another task (e.g. Kᵀ in attention).
    case matmul(m: Int, k: Int, n: Int, weightsOffChip: Bool)
    /// 2-D convolution, NCHW input of C channels, K filters, with stride and zero padding.
    /// `groups` G splits the channels into G independent convolutions of C/G inputs and K/G
    /// filters each (filters of (C/G)×R×S); depthwise is G = C (= K for a multiplier of 1).
    case conv2d(batch: Int, channels: Int, height: Int, width: Int, filters: Int, kernelH: Int, kernelW: Int, stride: Int, padding: Int, groups: Int = 1)
    /// Transposed convolution (input-stationary scatter); output (H-1)·stride − 2·pad + R;
    /// `groups` as for `conv2d` (each of the G groups scatters C/G inputs into K/G outputs).
    case transposedConv2d(batch: Int, channels: Int, height: Int, width: Int, filters: Int, kernelH: Int, kernelW: Int, stride: Int, padding: Int, groups: Int = 1)
    /// Max or average pooling with a square window; `channels×height×width` is the input. The
    /// stride is the window unless given (NAS-Bench-201's 3×3 average pool: stride 1, padding 1).
    /// `kind` says which; both are one pass over each window (a compare or an add per element),
    /// the average scaled once per output.
    case pool(channels: Int, height: Int, width: Int, window: Int, stride: Int? = nil, padding: Int = 0, kind: PoolKind = .max)
    /// Nearest-neighbour up-sampling by `factor` in both spatial dimensions.
    case upsample(channels: Int, height: Int, width: Int, factor: Int)
    /// Row softmax over `rows × cols`.
    case softmax(rows: Int, cols: Int)
    /// Layer normalisation over rows of `cols` elements.
    case layerNorm(rows: Int, cols: Int)
    /// Element-wise binary op (add, multiply, reparameterisation...) over `elements`.
    case elementwise(elements: Int, kind: String)
    /// Activation (relu, silu, gelu, exp...) over `elements`.
    case activation(elements: Int, kind: String)

    public var kindName: String {
        switch self {
        case .matmul: return "matmul"
        case .conv2d: return "conv2d"
        case .transposedConv2d: return "transposed_conv2d"
        case .pool: return "pool"
        case .upsample: return "upsample"
        case .softmax: return "softmax"
        case .layerNorm: return "layernorm"
        case .elementwise(_, let k): return k
        case .activation(_, let k): return k
        }
    }

    /// The operator seen as a matrix product for the MAC array: `rows` output rows that share
    /// the same weights, `reduction` MACs per output, `columns` outputs per row. Nil for
    /// operators that run on special-function units.
    public var gemmView: GemmView? {
        switch self {
        case let .matmul(m, k, n, off):
            return GemmView(rows: m, reduction: k, columns: n, weightElements: k * n, weightsOffChip: off)
        case let .conv2d(b, c, h, w, kf, r, s, st, p, g):
            // Each output channel (a column) reduces over its own group's C/G channels.
            let oh = (h + 2 * p - r) / st + 1, ow = (w + 2 * p - s) / st + 1
            return GemmView(rows: b * oh * ow, reduction: c / g * r * s, columns: kf, weightElements: kf * (c / g) * r * s, weightsOffChip: true, groups: g)
        case let .transposedConv2d(b, c, h, w, kf, r, s, _, _, g):
            // Input-stationary: each input pixel's C/G channels of a group are reduced into R·S·K/G
            // partial outputs of that group (R·S·K over all groups).
            return GemmView(rows: b * h * w, reduction: c / g, columns: kf * r * s, weightElements: kf * (c / g) * r * s, weightsOffChip: true, groups: g)
        default:
            return nil
        }
    }

    /// Multiply-accumulates the operator performs (0 for special-function operators).
    public var macs: Int {
        guard let g = gemmView else { return 0 }
        return g.rows * g.reduction * g.columns
    }

    /// Elements of the output tensor.
    public var outputElements: Int {
        switch self {
        case let .matmul(m, _, n, _): return m * n
        case let .conv2d(b, _, h, w, kf, r, s, st, p, _):
            return b * kf * ((h + 2 * p - r) / st + 1) * ((w + 2 * p - s) / st + 1)
        case let .transposedConv2d(b, _, h, w, kf, r, s, st, p, _):
            return b * kf * ((h - 1) * st - 2 * p + r) * ((w - 1) * st - 2 * p + s)
        case let .pool(c, h, w, win, st, p, _):
            let s = st ?? win
            guard h + 2 * p >= win, w + 2 * p >= win else { return 0 }
            return c * ((h + 2 * p - win) / s + 1) * ((w + 2 * p - win) / s + 1)
        case let .upsample(c, h, w, f): return c * h * w * f * f
        case let .softmax(r, c): return r * c
        case let .layerNorm(r, c): return r * c
        case let .elementwise(e, _): return e
        case let .activation(e, _): return e
        }
    }

    /// Element visits a special-function unit makes per output element (passes over the data):
    /// softmax reads a row for the max, again for exp and sum, and writes normalised values (3);
    /// layer norm: mean/variance, then normalise (2); pooling reads its whole window.
    public var sfuPassesPerOutput: Int {
        switch self {
        case .softmax: return 3
        case .layerNorm: return 2
        case let .pool(_, _, _, win, _, _, _): return win * win
        case .upsample, .elementwise, .activation: return 1
        case .transposedConv2d: return 1  // col2im accumulation of overlapping outputs
        default: return 0
        }
    }

    /// Whether the operator's MACs, outputs or weights exceed 2^53 (the largest count the models
    /// hold exactly), computed without overflowing.
    public var isTooLarge: Bool {
        func product(_ xs: [Int]) -> Int? {
            var p = 1
            for x in xs {
                let (r, o) = p.multipliedReportingOverflow(by: x)
                if o { return nil }
                p = r
            }
            return p
        }
        let limit = 1 << 53
        let dims = dimensions.map(\.1)
        // Every count below is a product of a subset of the dimensions (times at most 4 for
        // padding and up-sampling), so the product of all of them bounds them all.
        guard let all = product(dims + [4]) else { return true }
        return all > limit
    }

    /// Shape dimensions by name, for validation messages.
    public var dimensions: [(String, Int)] {
        switch self {
        case let .matmul(m, k, n, _): return [("m", m), ("k", k), ("n", n)]
        case let .conv2d(b, c, h, w, kf, r, s, st, _, g), let .transposedConv2d(b, c, h, w, kf, r, s, st, _, g):
            return [("batch", b), ("channels", c), ("height", h), ("width", w), ("filters", kf), ("kernel_h", r), ("kernel_w", s), ("stride", st), ("groups", g)]
        case let .pool(c, h, w, win, st, _, _): return [("channels", c), ("height", h), ("width", w), ("window", win), ("stride", st ?? win)]
        case let .upsample(c, h, w, f): return [("channels", c), ("height", h), ("width", w), ("factor", f)]
        case let .softmax(r, c), let .layerNorm(r, c): return [("rows", r), ("cols", c)]
        case let .elementwise(e, _), let .activation(e, _): return [("elements", e)]
        }
    }
}

/// What a pooling window computes: its largest element, or the mean of its elements (the sum
/// over the window's elements inside the input divided by their count: padding is not counted,
/// as ONNX `AveragePool`'s default `count_include_pad = 0` and NAS-Bench-201's
/// `AvgPool2d(3, 1, 1, count_include_pad=False)`).
public enum PoolKind: String, Hashable, Sendable, CaseIterable {
    case max
    case average

    /// The names a spec accepts (`kind: max | avg | average`).
    public init?(specName: String) {
        switch specName.lowercased() {
        case "max": self = .max
        case "avg", "average", "mean": self = .average
        default: return nil
        }
    }
    public static let acceptedSpecNames = "max, avg (or average)"
}

/// A MAC operator as a matrix product (see `Operator.gemmView`).
public struct GemmView: Hashable, Sendable {
    public var rows: Int
    public var reduction: Int
    public var columns: Int
    public var weightElements: Int
    public var weightsOffChip: Bool
    /// Independent groups (grouped and depthwise convolutions): `reduction` is one group's, and
    /// each group's `columns / groups` outputs read only that group's inputs.
    public var groups: Int = 1

    public init(rows: Int, reduction: Int, columns: Int, weightElements: Int, weightsOffChip: Bool, groups: Int = 1) {
        self.rows = rows
        self.reduction = reduction
        self.columns = columns
        self.weightElements = weightElements
        self.weightsOffChip = weightsOffChip
        self.groups = groups
    }
}
