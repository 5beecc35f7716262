import IntarsiaCore

/// A layer as the ASIC templates see it: a convolution or matrix product (the loop bounds of
/// K, C, R, S, OH, OW, the stride and the groups), or a non-MAC operator (`operation` is
/// `.vector`: pooling, element-wise, activation, softmax, layer norm, up-sampling) laid out on the
/// same loop bounds: C = K channels in C groups, a window of R×S (1×1 for per-element operators).
public struct ConvLayer: Hashable, Sendable {
    public var name: String
    public var filters: Int        // K (all groups)
    public var channels: Int       // C (all groups)
    public var kernelH: Int        // R
    public var kernelW: Int        // S
    public var outH: Int
    public var outW: Int
    public var stride: Int
    public var batch: Int
    public var dataType: DataType
    /// Independent groups G: each reduces C/G channels into K/G filters (depthwise: G = C).
    public var groups: Int
    public var operation: LayerOperation
    /// A per-element activation applied to its producer's outputs as they leave the array (the
    /// producer is a MAC layer and this is its only consumer, as NVDLA's output pipeline and
    /// Eyeriss's PEs apply ReLU): its operations cost energy, but no buffer or off-chip traffic.
    public var fusedIntoProducer = false
    /// Zero padding on each side (the padded rows and columns are made on chip, never loaded).
    public var padding = 0

    public init(name: String, filters: Int, channels: Int, kernelH: Int, kernelW: Int, outH: Int, outW: Int, stride: Int = 1, batch: Int = 1,
                dataType: DataType = .int8, groups: Int = 1, padding: Int = 0, operation: LayerOperation = .mac) {
        self.name = name
        self.filters = filters
        self.channels = channels
        self.kernelH = kernelH
        self.kernelW = kernelW
        self.outH = outH
        self.outW = outW
        self.stride = stride
        self.batch = batch
        self.dataType = dataType
        self.groups = max(1, groups)
        self.padding = max(0, padding)
        self.operation = operation
    }

    /// From a padded input size, as SCALE-Sim's topology files give it:
    /// out = ceil((H − R + s) / s).
    public init(name: String, paddedInH: Int, paddedInW: Int, kernelH: Int, kernelW: Int, channels: Int, filters: Int, stride: Int, dataType: DataType = .int8) {
        self.init(name: name, filters: filters, channels: channels, kernelH: kernelH, kernelW: kernelW,
                  outH: (paddedInH - kernelH + stride + stride - 1) / stride, outW: (paddedInW - kernelW + stride + stride - 1) / stride,
                  stride: stride, dataType: dataType)
    }

    /// How a convolution's output size is rounded when the last window is partial: `floor`
    /// (frameworks, ONNX: out = ⌊(H + 2p − R)/s⌋ + 1) or `ceil` (SCALE-Sim's topology
    /// convention, out = ⌈(H + 2p − R + s)/s⌉, counting a partial last window).
    public enum OutputSize: String, Hashable, Sendable, CaseIterable {
        case floor, ceil
        public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")
        @inline(__always)
        func outputs(_ padded: Int, _ kernel: Int, _ stride: Int) -> Int {
            self == .floor ? (padded - kernel) / stride + 1 : (padded - kernel + 2 * stride - 1) / stride
        }
    }

    /// The layers of a workload in task order: MAC tasks (convolutions and matrix products;
    /// transposed convolutions as their input-stationary matrix products) and, with
    /// `vectorOperators`, every other operator as a `.vector` layer.
    public static func layers(of w: Workload, outputSize: OutputSize = .floor, vectorOperators: Bool = false, fuseActivations: Bool = true) -> [ConvLayer] {
        var consumers = [Int](repeating: 0, count: w.tasks.count), producers = [[Int]](repeating: [], count: w.tasks.count)
        for e in w.edges {
            consumers[e.producer] += 1
            producers[e.consumer].append(e.producer)
        }
        return w.tasks.enumerated().compactMap { i, t -> ConvLayer? in
            switch t.op {
            case let .conv2d(b, c, h, wd, k, r, s, st, p, g):
                return ConvLayer(name: t.name, filters: k, channels: c, kernelH: r, kernelW: s,
                                 outH: outputSize.outputs(h + 2 * p, r, st), outW: outputSize.outputs(wd + 2 * p, s, st), stride: st, batch: b,
                                 dataType: t.dataType, groups: g, padding: p)
            case let .matmul(m, k, n, _):
                // Attention heads batched in one task: A is m × (heads·k) and each head's n/heads
                // outputs reduce over its own k: a grouped product of `heads` groups.
                let h = max(1, t.heads)
                return ConvLayer(name: t.name, filters: n, channels: k * h, kernelH: 1, kernelW: 1, outH: m, outW: 1, dataType: t.dataType, groups: h)
            case .transposedConv2d:
                let g = t.op.gemmView!
                return ConvLayer(name: t.name, filters: g.columns, channels: g.reduction * g.groups, kernelH: 1, kernelW: 1, outH: g.rows, outW: 1,
                                 dataType: t.dataType, groups: g.groups)
            default:
                guard vectorOperators, var v = vectorLayer(t) else { return nil }
                if fuseActivations, case .activation = t.op, producers[i].count == 1, w.tasks[producers[i][0]].op.gemmView != nil, consumers[producers[i][0]] == 1,
                   w.externalInputBytes[i] == 0 {
                    v.fusedIntoProducer = true
                }
                return v
            }
        }
    }

    /// A non-MAC task as a `.vector` layer.
    static func vectorLayer(_ t: Task) -> ConvLayer? {
        let op = t.op
        func perElement(_ kind: VectorKind, _ elements: Int, inputs: Int = 1) -> ConvLayer {
            ConvLayer(name: t.name, filters: 1, channels: 1, kernelH: 1, kernelW: 1, outH: elements, outW: 1, dataType: t.dataType,
                      operation: .vector(kind, operandsPerOutput: inputs))
        }
        switch op {
        case let .pool(c, h, w, win, st, p, _):
            let s = st ?? win
            guard h + 2 * p >= win, w + 2 * p >= win else { return nil }
            return ConvLayer(name: t.name, filters: c, channels: c, kernelH: win, kernelW: win,
                             outH: (h + 2 * p - win) / s + 1, outW: (w + 2 * p - win) / s + 1, stride: s, dataType: t.dataType, groups: c,
                             operation: .vector(.pool, operandsPerOutput: 1))
        case let .upsample(c, h, w, f):
            return ConvLayer(name: t.name, filters: c, channels: c, kernelH: 1, kernelW: 1, outH: h * f, outW: w * f, stride: 1, dataType: t.dataType,
                             groups: c, operation: .vector(.upsample(factor: f), operandsPerOutput: 1))
        case let .softmax(r, c): return perElement(.softmax, r * c)
        case let .layerNorm(r, c): return perElement(.layerNorm, r * c)
        case let .elementwise(e, _):
            // add, multiply, reparameterise: two operands per output.
            return perElement(.elementwise, e, inputs: 2)
        case let .activation(e, kind):
            return perElement(VectorKind.transcendentalNames.contains(kind) ? .transcendental : .simpleActivation, e)
        default:
            return nil
        }
    }

    /// One group of a grouped layer, as a layer of its own (C/G channels, K/G filters).
    public var oneGroup: ConvLayer {
        var g = self
        g.channels /= groups
        g.filters /= groups
        g.groups = 1
        return g
    }

    public var macs: Int { operation == .mac ? batch * filters * (channels / groups) * kernelH * kernelW * outH * outW : 0 }
    public var outputPixels: Int { batch * outH * outW }
    /// MACs (or window elements) per output: one group's channels times the kernel.
    public var reduction: Int { channels / groups * kernelH * kernelW }
    public var bytesPerElement: Double { dataType.bytes }
    public var outputElements: Int { batch * filters * outH * outW }
    public var isVector: Bool { operation != .mac }
    /// Simple operations (compare, add, multiply) a non-MAC layer performs (0 for MAC layers).
    public var vectorOperations: Int {
        guard case let .vector(kind, _) = operation else { return 0 }
        return outputElements * kind.operationsPerOutput(window: kernelH * kernelW)
    }
    public var weightBytes: Double { isVector ? 0 : Double(filters * reduction) * bytesPerElement }
    public var inputBytes: Double {
        if case let .vector(kind, operands) = operation {
            switch kind {
            case .pool: break
            case .upsample(let f): return Double(batch * channels * (outH / f) * (outW / f)) * bytesPerElement
            default: return Double(outputElements * operands) * bytesPerElement
            }
        }
        let inH = (outH - 1) * stride + kernelH, inW = (outW - 1) * stride + kernelW
        return Double(batch * channels * inH * inW) * bytesPerElement
    }
    /// Input bytes a convolution reads at least once: a kernel smaller than its stride skips the
    /// rows and columns between windows, and the padding is not loaded.
    public var neededInputBytes: Double {
        let rows = max(1, min((outH - 1) * stride + kernelH, outH * kernelH) - 2 * padding)
        let cols = max(1, min((outW - 1) * stride + kernelW, outW * kernelW) - 2 * padding)
        return Double(batch * channels * rows * cols) * bytesPerElement
    }
    public var outputBytes: Double { Double(batch * filters * outH * outW) * bytesPerElement }
}


/// What a layer computes: multiply-accumulates, or a non-MAC operator priced by its operations.
public enum LayerOperation: Hashable, Sendable {
    case mac
    /// A non-MAC operator reading `operandsPerOutput` input elements per output (2 for a binary
    /// element-wise operation; pooling reads its window).
    case vector(VectorKind, operandsPerOutput: Int)
}

/// Non-MAC operators by how many simple operations (a compare, an add or a multiply, what one PE
/// or one vector lane does in a cycle) each output element takes. Counts are this model's
/// statement of the mechanism, not fitted: pooling visits its window (R·S compares or adds; the
/// average's final scaling folded into the requantisation); ReLU/clip one compare; an element-wise
/// add or multiply one operation; transcendental activations (sigmoid, tanh, SiLU, GELU, exp) a
/// range reduction and a degree-3 polynomial in Horner form, 4 multiply-adds (the integer
/// approximations of docs/HLS_NUMERICS.md have this shape); softmax a max, an exponential (4), a
/// sum and a scaling multiply, 7; layer norm a mean, a variance (subtract, multiply-add) and a
/// normalisation (subtract, multiply), 5; nearest up-sampling one copy.
public enum VectorKind: Hashable, Sendable {
    case pool, simpleActivation, transcendental, elementwise, softmax, layerNorm
    case upsample(factor: Int)

    static let transcendentalNames: Set<String> = ["sigmoid", "tanh", "silu", "gelu", "exp", "erf", "hardsigmoid", "hardswish", "sqrt"]

    @inline(__always)
    public func operationsPerOutput(window: Int) -> Int {
        switch self {
        case .pool: return window
        case .simpleActivation, .elementwise, .upsample: return 1
        case .transcendental: return 4
        case .softmax: return 7
        case .layerNorm: return 5
        }
    }
}
