import IntarsiaCore

/// A workload resolved into what the emitted code and the Swift reference compute: each task's
/// operation with concrete loop bounds, where its operands come from, and its number formats.
public struct HLSProgram: Sendable {
    /// Where an operand comes from.
    public enum Source: Hashable, Sendable {
        /// The graph's input tensor (read from off-chip).
        case graphInput
        /// Another task's output.
        case task(Int)
        /// The task's own off-chip weights.
        case weights
    }

    /// The operation with its loop bounds, as the reference and the C++ modules run it.
    public enum Kind: Hashable, Sendable {
        /// Per head h: C[i][h·n/heads + j] = Σ_t A[i][h·k + t] · B_h[t][j], B_h[t][j] being
        /// B[t][h·n/heads + j], or B[j][h·k + t] when `transposeB` (weights: heads = 1, B[k][n]).
        case gemm(m: Int, k: Int, n: Int, heads: Int, transposeB: Bool)
        /// NCHW input, weights [K][C/G][R][S], zero padding; `groups` G: filter f reduces over the
        /// C/G channels of its group f / (K/G) (depthwise: G = C).
        case conv2d(batch: Int, channels: Int, height: Int, width: Int, filters: Int, kernelH: Int, kernelW: Int, stride: Int, padding: Int, groups: Int = 1)
        /// Scatter of every input pixel through weights [C][K/G][R][S]; output (H−1)·stride − 2·pad
        /// + R; `groups` G: input channel c scatters into the K/G filters of its group c / (C/G).
        case transposedConv2d(batch: Int, channels: Int, height: Int, width: Int, filters: Int, kernelH: Int, kernelW: Int, stride: Int, padding: Int, groups: Int = 1)
        /// Max pooling over `window × window`, stride `window`.
        case maxPool(channels: Int, height: Int, width: Int, window: Int)
        /// Average pooling over `window × window`, stride `window`: each output the raw sum of
        /// its window divided by window², rounded half up (`FixedPointMath.roundDiv`).
        case avgPool(channels: Int, height: Int, width: Int, window: Int)
        case upsample(channels: Int, height: Int, width: Int, factor: Int)
        case softmax(rows: Int, cols: Int)
        case layerNorm(rows: Int, cols: Int)
        case add(elements: Int)
        case multiply(elements: Int)
        /// z = μ + e^(logvar/2)·ε: μ the first `elements` inputs, logvar the next `elements`,
        /// ε a stated hash of the element index (see docs/HLS_NUMERICS.md).
        case reparameterise(elements: Int)
        case activation(elements: Int, function: Activation)
    }

    /// Loop bounds of an operation by name, in the order the config structs and the instruction
    /// list carry them.
    public static func bounds(_ k: Kind) -> [(String, Int)] {
        switch k {
        case let .gemm(m, kk, n, heads, tb): return [("M", m), ("K", kk), ("N", n), ("HEADS", heads), ("TRANSPOSE_B", tb ? 1 : 0)]
        case let .conv2d(b, c, h, w, kf, r, q, st, p, g), let .transposedConv2d(b, c, h, w, kf, r, q, st, p, g):
            return [("BATCH", b), ("CHANNELS", c), ("HEIGHT", h), ("WIDTH", w), ("FILTERS", kf), ("KERNEL_H", r), ("KERNEL_W", q), ("STRIDE", st), ("PADDING", p), ("GROUPS", g)]
        case let .maxPool(c, h, w, win), let .avgPool(c, h, w, win): return [("CHANNELS", c), ("HEIGHT", h), ("WIDTH", w), ("WINDOW", win)]
        case let .upsample(c, h, w, f): return [("CHANNELS", c), ("HEIGHT", h), ("WIDTH", w), ("FACTOR", f)]
        case let .softmax(r, c), let .layerNorm(r, c): return [("ROWS", r), ("COLS", c)]
        case let .add(e), let .multiply(e), let .reparameterise(e), let .activation(e, _): return [("ELEMENTS", e)]
        }
    }

    public enum Activation: String, Hashable, Sendable, CaseIterable {
        case relu, silu, gelu, sigmoid, exp
    }

    public struct Step: Sendable {
        public var name: String
        public var kind: Kind
        /// Activation operands in order (A then B), never `.weights`.
        public var inputs: [Source]
        /// Whether the task reads off-chip weights (the B operand of a GEMM, the filters of a convolution).
        public var hasWeights: Bool
        public var activationFormat: NumberFormat
        public var weightFormat: NumberFormat
        /// Products summed into one output of a MAC task (0 for special functions).
        public var reduction: Int
        /// Accumulator width of a MAC task (products plus log2 of `reduction`), bits.
        public var accumulatorBits: Int
        /// Right shift (round half up, then saturate) from the accumulator to the output format.
        public var requantizeShift: Int
        public var inputElements: [Int]
        public var weightElements: Int
        public var outputElements: Int
        public var isMAC: Bool { accumulatorBits > 0 }
    }

    public var name: String
    public var steps: [Step]
    /// Elements of the graph input (every task that reads it reads the whole tensor).
    public var graphInputElements: Int
    /// The activation format shared by every task.
    public var activationFormat: NumberFormat
    /// Tasks whose outputs leave the chip (no consumer), in task order.
    public var sinks: [Int]
    /// Consumers of each task's output, in task order.
    public var consumers: [[Int]]

    public struct Unsupported: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Resolves `w` (one repetition of it: the graph is emitted once and run `repetitions` times
    /// by the host). Throws `Unsupported` naming the task and what is accepted.
    public init(_ w: Workload) throws {
        name = w.name
        guard let act = NumberFormat(w.tasks[0].dataType) else {
            throw Unsupported(description: "task '\(w.tasks[0].name)': data type \(w.tasks[0].dataType) is not emitted; accepted: \(NumberFormat.emittedNames)")
        }
        activationFormat = act
        var steps: [Step] = []
        var inputElems: Int?
        for i in w.tasks.indices {
            steps.append(try Self.step(i, of: w, activationFormat: act, graphInputElements: &inputElems))
        }
        self.steps = steps
        graphInputElements = inputElems ?? 0
        sinks = w.sinkTasks
        var cons = [[Int]](repeating: [], count: steps.count)
        for (i, s) in steps.enumerated() {
            for case .task(let p) in s.inputs where !cons[p].contains(i) { cons[p].append(i) }
        }
        consumers = cons
    }
}
