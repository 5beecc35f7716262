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
        /// NCHW input, weights [K][C][R][S], zero padding.
        case conv2d(batch: Int, channels: Int, height: Int, width: Int, filters: Int, kernelH: Int, kernelW: Int, stride: Int, padding: Int)
        /// Scatter of every input pixel through weights [C][K][R][S]; output (H−1)·stride − 2·pad + R.
        case transposedConv2d(batch: Int, channels: Int, height: Int, width: Int, filters: Int, kernelH: Int, kernelW: Int, stride: Int, padding: Int)
        /// Max pooling over `window × window`, stride `window`.
        case maxPool(channels: Int, height: Int, width: Int, window: Int)
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
        case let .conv2d(b, c, h, w, kf, r, q, st, p), let .transposedConv2d(b, c, h, w, kf, r, q, st, p):
            return [("BATCH", b), ("CHANNELS", c), ("HEIGHT", h), ("WIDTH", w), ("FILTERS", kf), ("KERNEL_H", r), ("KERNEL_W", q), ("STRIDE", st), ("PADDING", p)]
        case let .maxPool(c, h, w, win): return [("CHANNELS", c), ("HEIGHT", h), ("WIDTH", w), ("WINDOW", win)]
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

    /// The HLS module library has no grouped (or depthwise) convolution yet: refused, never
    /// emitted as a dense one.
    static func groupedRefusal(_ task: String, _ groups: Int) -> String {
        "task '\(task)': grouped convolution (groups: \(groups)) is not emitted yet (accepted: groups: 1); the cost models price it, the HLS module library has no grouped kernel"
    }

    public struct Unsupported: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Resolves `w` (one repetition of it: the graph is emitted once and run `repetitions` times
    /// by the host). Throws `Unsupported` naming the task and what is accepted.
    public init(_ w: Workload) throws {
        func fail(_ s: String) -> Unsupported { Unsupported(description: s) }
        name = w.name
        guard let act = NumberFormat(w.tasks[0].dataType) else {
            throw fail("task '\(w.tasks[0].name)': data type \(w.tasks[0].dataType) is not emitted; accepted: \(NumberFormat.emittedNames)")
        }
        activationFormat = act
        var steps: [Step] = []
        var inputElems: Int?
        for (i, t) in w.tasks.enumerated() {
            guard let a = NumberFormat(t.dataType), a == act else {
                throw fail("task '\(t.name)': data type \(t.dataType) differs from the first task's \(w.tasks[0].dataType) or is not emitted; the emitted code keeps one activation format (accepted: \(NumberFormat.emittedNames))")
            }
            let wt = t.weightDataType ?? t.dataType
            guard let wf = NumberFormat(wt) else {
                throw fail("task '\(t.name)': weight type \(wt) is not emitted; accepted: \(NumberFormat.emittedNames)")
            }
            if wf.isFixedPoint != a.isFixedPoint {
                throw fail("task '\(t.name)': weights \(wt) and activations \(t.dataType) mix integer and fixed-point formats; accepted: both intN or both fixed<W,F>")
            }
            let inputs: [Source] = w.operands[i].map { $0 == Workload.graphInput ? .graphInput : .task($0) }
            var kind: Kind
            var hasWeights = false
            var reduction = 0
            var weightElements = 0
            var need: [Int]
            switch t.op {
            case let .matmul(m, k, n, off):
                let heads = t.heads
                guard n % heads == 0 else { throw fail("task '\(t.name)': n = \(n) is not a multiple of heads = \(heads)") }
                if off {
                    guard heads == 1, !t.transposeB else { throw fail("task '\(t.name)': heads and transpose_b go with products of two activations, not off-chip weights") }
                    hasWeights = true
                    weightElements = k * n
                    need = [m * heads * k]
                } else {
                    need = [m * heads * k, heads * k * (n / heads)]
                }
                kind = .gemm(m: m, k: k, n: n, heads: heads, transposeB: t.transposeB)
                reduction = k
            case let .conv2d(b, c, h, wd, kf, r, s, st, p, g):
                guard g == 1 else { throw fail(Self.groupedRefusal(t.name, g)) }
                kind = .conv2d(batch: b, channels: c, height: h, width: wd, filters: kf, kernelH: r, kernelW: s, stride: st, padding: p)
                hasWeights = true
                weightElements = kf * c * r * s
                reduction = c * r * s
                need = [b * c * h * wd]
            case let .transposedConv2d(b, c, h, wd, kf, r, s, st, p, g):
                guard g == 1 else { throw fail(Self.groupedRefusal(t.name, g)) }
                kind = .transposedConv2d(batch: b, channels: c, height: h, width: wd, filters: kf, kernelH: r, kernelW: s, stride: st, padding: p)
                hasWeights = true
                weightElements = kf * c * r * s
                reduction = c * ((r + st - 1) / st) * ((s + st - 1) / st)
                need = [b * c * h * wd]
            case let .pool(c, h, wd, win, st, p):
                guard (st ?? win) == win, p == 0 else {
                    throw fail("task '\(t.name)': pooling with stride \(st ?? win) and padding \(p) over a \(win)×\(win) window is not emitted yet (accepted: stride equal to the window, no padding)")
                }
                kind = .maxPool(channels: c, height: h, width: wd, window: win)
                need = [c * h * wd]
            case let .upsample(c, h, wd, f):
                kind = .upsample(channels: c, height: h, width: wd, factor: f)
                need = [c * h * wd]
            case let .softmax(r, c):
                kind = .softmax(rows: r, cols: c)
                need = [r * c]
            case let .layerNorm(r, c):
                kind = .layerNorm(rows: r, cols: c)
                need = [r * c]
            case let .elementwise(e, k):
                switch k {
                case "add": kind = .add(elements: e); need = [e, e]
                case "mul", "multiply": kind = .multiply(elements: e); need = [e, e]
                case "reparameterise", "reparameterize": kind = .reparameterise(elements: e); need = [2 * e]
                default: throw fail("task '\(t.name)': element-wise '\(k)' has no HLS module; accepted: add, mul, reparameterise")
                }
            case let .activation(e, k):
                guard let f = Activation(rawValue: k) else {
                    throw fail("task '\(t.name)': activation '\(k)' has no HLS module; accepted: \(Activation.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kind = .activation(elements: e, function: f)
                need = [e]
            }
            guard inputs.count == need.count else {
                throw fail("task '\(t.name)': \(t.op.kindName) takes \(need.count) input(s) here, the workload gives it \(inputs.count)")
            }
            for (s, n) in zip(inputs, need) {
                if case .task(let p) = s {
                    let e = w.tasks[p].op.outputElements
                    guard e == n else { throw fail("task '\(t.name)': its input from '\(w.tasks[p].name)' has \(e) elements, the operation reads \(n)") }
                } else {
                    if let g = inputElems, g != n {
                        throw fail("task '\(t.name)': reads the graph input as \(n) elements, another task as \(g); the emitted graph has one input tensor")
                    }
                    inputElems = n
                }
            }
            var accBits = 0, shift = 0
            if reduction > 0 {
                let bOperand = hasWeights ? wf : a
                accBits = a.bits + bOperand.bits + ceilLog2(reduction)
                guard accBits <= 62 else { throw fail("task '\(t.name)': a \(accBits)-bit accumulator is wider than the 62 bits the reference holds") }
                shift = bOperand.frac
            }
            steps.append(Step(name: t.name, kind: kind, inputs: inputs, hasWeights: hasWeights, activationFormat: a, weightFormat: wf,
                              reduction: reduction, accumulatorBits: accBits, requantizeShift: shift, inputElements: need, weightElements: weightElements,
                              outputElements: t.op.outputElements))
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
