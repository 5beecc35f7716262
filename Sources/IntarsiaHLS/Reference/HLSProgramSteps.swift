import IntarsiaCore

/// The steps of `HLSProgram.init` for one task: its number formats, its operation with loop
/// bounds and operand sizes, the check of its operands against their producers, and its
/// accumulator. Every refusal names the task and what is accepted.
extension HLSProgram {
    /// What one task computes: the operation, whether it reads off-chip weights, how many, the
    /// products per output (0 for special functions) and the elements of each activation operand.
    struct Operation {
        var kind: Kind
        var hasWeights = false
        var weightElements = 0
        var reduction = 0
        var inputElements: [Int]
    }

    /// Task `i` of `w` resolved; `graphInputElements` is the graph input's size once a task
    /// reads it (every reader must read the same size).
    static func step(_ i: Int, of w: Workload, activationFormat act: NumberFormat, graphInputElements: inout Int?) throws -> Step {
        let t = w.tasks[i]
        let (a, wf) = try formats(of: t, first: w.tasks[0], activationFormat: act)
        let op = try operation(of: t)
        let inputs: [Source] = w.operands[i].map { $0 == Workload.graphInput ? .graphInput : .task($0) }
        guard inputs.count == op.inputElements.count else {
            throw Unsupported(description: "task '\(t.name)': \(t.op.kindName) takes \(op.inputElements.count) input(s) here, the workload gives it \(inputs.count)")
        }
        for (s, n) in zip(inputs, op.inputElements) {
            if case .task(let p) = s {
                let e = w.tasks[p].op.outputElements
                guard e == n else { throw Unsupported(description: "task '\(t.name)': its input from '\(w.tasks[p].name)' has \(e) elements, the operation reads \(n)") }
            } else {
                if let g = graphInputElements, g != n {
                    throw Unsupported(description: "task '\(t.name)': reads the graph input as \(n) elements, another task as \(g); the emitted graph has one input tensor")
                }
                graphInputElements = n
            }
        }
        var accBits = 0, shift = 0
        if op.reduction > 0 {
            let bOperand = op.hasWeights ? wf : a
            accBits = a.bits + bOperand.bits + ceilLog2(op.reduction)
            guard accBits <= 62 else { throw Unsupported(description: "task '\(t.name)': a \(accBits)-bit accumulator is wider than the 62 bits the reference holds") }
            shift = bOperand.frac
        }
        return Step(name: t.name, kind: op.kind, inputs: inputs, hasWeights: op.hasWeights, activationFormat: a, weightFormat: wf,
                    reduction: op.reduction, accumulatorBits: accBits, requantizeShift: shift, inputElements: op.inputElements,
                    weightElements: op.weightElements, outputElements: t.op.outputElements)
    }

    /// The task's activation and weight formats: the activation format is the first task's, and
    /// weights and activations are both integer or both fixed point.
    static func formats(of t: IntarsiaCore.Task, first: IntarsiaCore.Task, activationFormat act: NumberFormat) throws -> (activation: NumberFormat, weight: NumberFormat) {
        guard let a = NumberFormat(t.dataType), a == act else {
            throw Unsupported(description: "task '\(t.name)': data type \(t.dataType) differs from the first task's \(first.dataType) or is not emitted; the emitted code keeps one activation format (accepted: \(NumberFormat.emittedNames))")
        }
        let wt = t.weightDataType ?? t.dataType
        guard let wf = NumberFormat(wt) else {
            throw Unsupported(description: "task '\(t.name)': weight type \(wt) is not emitted; accepted: \(NumberFormat.emittedNames)")
        }
        if wf.isFixedPoint != a.isFixedPoint {
            throw Unsupported(description: "task '\(t.name)': weights \(wt) and activations \(t.dataType) mix integer and fixed-point formats; accepted: both intN or both fixed<W,F>")
        }
        return (a, wf)
    }

    /// The task's operation, or a refusal of what the module library does not emit.
    static func operation(of t: IntarsiaCore.Task) throws -> Operation {
        func fail(_ s: String) -> Unsupported { Unsupported(description: s) }
        switch t.op {
        case let .matmul(m, k, n, off):
            let heads = t.heads
            guard n % heads == 0 else { throw fail("task '\(t.name)': n = \(n) is not a multiple of heads = \(heads)") }
            let kind = Kind.gemm(m: m, k: k, n: n, heads: heads, transposeB: t.transposeB)
            guard off else { return Operation(kind: kind, reduction: k, inputElements: [m * heads * k, heads * k * (n / heads)]) }
            guard heads == 1, !t.transposeB else { throw fail("task '\(t.name)': heads and transpose_b go with products of two activations, not off-chip weights") }
            return Operation(kind: kind, hasWeights: true, weightElements: k * n, reduction: k, inputElements: [m * heads * k])
        case let .conv2d(b, c, h, wd, kf, r, s, st, p, g):
            return Operation(kind: .conv2d(batch: b, channels: c, height: h, width: wd, filters: kf, kernelH: r, kernelW: s, stride: st, padding: p, groups: g),
                             hasWeights: true, weightElements: kf * (c / g) * r * s, reduction: c / g * r * s, inputElements: [b * c * h * wd])
        case let .transposedConv2d(b, c, h, wd, kf, r, s, st, p, g):
            return Operation(kind: .transposedConv2d(batch: b, channels: c, height: h, width: wd, filters: kf, kernelH: r, kernelW: s, stride: st, padding: p, groups: g),
                             hasWeights: true, weightElements: kf * (c / g) * r * s, reduction: c / g * ((r + st - 1) / st) * ((s + st - 1) / st), inputElements: [b * c * h * wd])
        case let .pool(c, h, wd, win, st, p, poolKind):
            guard (st ?? win) == win, p == 0 else {
                throw fail("task '\(t.name)': pooling with stride \(st ?? win) and padding \(p) over a \(win)×\(win) window is not emitted yet (accepted: stride equal to the window, no padding)")
            }
            let kind: HLSProgram.Kind = poolKind == .max ? .maxPool(channels: c, height: h, width: wd, window: win)
                                                         : .avgPool(channels: c, height: h, width: wd, window: win)
            return Operation(kind: kind, inputElements: [c * h * wd])
        case let .upsample(c, h, wd, f):
            return Operation(kind: .upsample(channels: c, height: h, width: wd, factor: f), inputElements: [c * h * wd])
        case let .softmax(r, c):
            return Operation(kind: .softmax(rows: r, cols: c), inputElements: [r * c])
        case let .layerNorm(r, c):
            return Operation(kind: .layerNorm(rows: r, cols: c), inputElements: [r * c])
        case let .elementwise(e, k):
            switch k {
            case "add": return Operation(kind: .add(elements: e), inputElements: [e, e])
            case "mul", "multiply": return Operation(kind: .multiply(elements: e), inputElements: [e, e])
            case "reparameterise", "reparameterize": return Operation(kind: .reparameterise(elements: e), inputElements: [2 * e])
            default: throw fail("task '\(t.name)': element-wise '\(k)' has no HLS module; accepted: add, mul, reparameterise")
            }
        case let .activation(e, k):
            guard let f = Activation(rawValue: k) else {
                throw fail("task '\(t.name)': activation '\(k)' has no HLS module; accepted: \(Activation.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return Operation(kind: .activation(elements: e, function: f), inputElements: [e])
        }
    }
}
