import IntarsiaCore

/// A buffer a dataflow task's body holds besides its FIFOs, weight column and accumulators,
/// because its loop order needs it (`DataflowHeldBuffers.buffers`).
public struct HeldBuffer: Sendable, Equatable {
    /// `.wholeInput`, `.wholeOutput` or `.lineBuffer`.
    public var role: OnChipBuffer.Role
    /// The task whose output a `.wholeInput` holds; -1 for the graph input and other roles.
    public var producer: Int
    public var elementBits: Double
    public var elements: Double
    /// Whether the task's lanes read it in parallel (its blocks follow the lanes' width).
    public var readByLanes: Bool

    /// Bits read at once by a task `width` lanes wide.
    @inline(__always)
    public func parallelBits(width: Double) -> Double { readByLanes ? width * elementBits : elementBits }

    public var bytes: Double { elements * elementBits / 8 }
}

/// The dataflow template's held buffers, worked out once per workload from the loop orders the
/// HLS emitter writes (docs/HLS.md, "On-chip buffers"): the model charges them
/// (`StageModel.cost`, `DataflowPlan`, `OnChipBuffers.stage`) and the emitter declares the same.
///
/// - A product of several rows with off-chip weights whose A arrives column by column (a
///   column-order stream) accumulates outer products over A's columns as they arrive (InTAR's
///   outer-product accumulation): m·n accumulators and a row of weights. Any other reads each
///   weight once, a column at a time (InTAR's unit: output columns outside, rows inside), so
///   every output column reduces over every row of A: A is held whole. Its output leaves column by column (a column-order
///   stream, `columnRows`) where every reader takes that order; else it is held whole and
///   written in row order.
/// - A convolution other than one channel into one filter, and a transposed convolution, hold
///   input and output whole; a one-channel convolution holds a line buffer of its kernel's rows.
/// - A matrix-vector product over a `stream` edge accumulates outer products as its input
///   arrives (n accumulators); one reading the graph input holds it (dot products: nothing to
///   accumulate over).
/// - A product with an activation B streams A through a row buffer (B is the model's operand).
/// - A fork whose branches meet again deepens each of its FIFOs to the whole tensor.
/// - Max pooling holds one output row of maxima, average pooling one of exact sums, up-sampling
///   one input row; softmax and layer norm a row and its two raw 64-bit rows; the
///   reparameterisation its output.
public enum DataflowHeldBuffers {
    /// Rows of each task's output when it streams column by column (column j's rows, then
    /// column j + 1's), 0 when it streams in row order. A product of several rows with off-chip
    /// weights streams its columns when each reader takes them: another such product with as
    /// many rows (it holds A whole, filled in the order it arrives), an element-wise task (add,
    /// multiply, an activation) whose inputs all stream columns of as many rows and whose readers
    /// take them too, or the store process (a graph output, written to its place).
    public static func columnRows(_ w: Workload) -> [Int] {
        let n = w.tasks.count
        var rows = [Int](repeating: 0, count: n)
        var readers = [[Int]](repeating: [], count: n)
        var sources = [[Int]](repeating: [], count: n)
        for e in w.edges {
            readers[e.producer].append(e.consumer)
            sources[e.consumer].append(e.producer)
        }
        for i in 0..<n {
            if let m = productRows(w.tasks[i]) {
                rows[i] = m
            } else if isElementwise(w.tasks[i]), let r = sources[i].first.map({ rows[$0] }), r > 0,
                      w.externalInputBytes[i] == 0, sources[i].allSatisfy({ rows[$0] == r }) {
                rows[i] = r
            }
        }
        var changed = true
        while changed {
            changed = false
            for i in 0..<n where rows[i] > 0 {
                let fed = productRows(w.tasks[i]) != nil || sources[i].allSatisfy { rows[$0] == rows[i] }
                let taken = readers[i].allSatisfy { c in
                    productRows(w.tasks[c]) == rows[i] || (isElementwise(w.tasks[c]) && rows[c] == rows[i])
                }
                if !fed || !taken {
                    rows[i] = 0
                    changed = true
                }
            }
        }
        return rows
    }

    /// Each task's held buffers (by task index).
    public static func buffers(_ w: Workload) -> [[HeldBuffer]] {
        let columns = columnRows(w)
        var out = [[HeldBuffer]](repeating: [], count: w.tasks.count)
        var source = [Int](repeating: -1, count: w.tasks.count)
        for e in w.edges where source[e.consumer] < 0 { source[e.consumer] = e.producer }
        for (i, t) in w.tasks.enumerated() {
            let a = Double(t.dataType.bits)
            func hold(_ role: OnChipBuffer.Role, _ elements: Int, bits: Double? = nil, producer: Int = -1, lanes: Bool = false) {
                out[i].append(HeldBuffer(role: role, producer: producer, elementBits: bits ?? a, elements: Double(elements), readByLanes: lanes))
            }
            switch t.op {
            case let .matmul(m, _, n, true) where m > 1 && source[i] >= 0 && columns[source[i]] > 0:
                // A arrives column by column: outer-product accumulation as it streams (the
                // accumulators are the output), W's row t read once into a row buffer.
                hold(.accumulators, m * n, bits: OnChipBuffers.accumulatorBits(t), lanes: true)
                hold(.lineBuffer, n, bits: Double((t.weightDataType ?? t.dataType).bits), lanes: true)
            case let .matmul(m, k, n, true) where m > 1:
                hold(.wholeInput, m * k, producer: source[i], lanes: true)
                if columns[i] == 0 { hold(.wholeOutput, m * n) }
            case let .conv2d(_, c, _, wd, kf, r, _, _, _, _) where c == 1 && kf == 1:
                hold(.lineBuffer, r * wd, lanes: true)
            case let .conv2d(b, c, h, wd, _, _, _, _, _, _), let .transposedConv2d(b, c, h, wd, _, _, _, _, _, _):
                hold(.wholeInput, b * c * h * wd, producer: source[i], lanes: true)
                hold(.wholeOutput, t.op.outputElements)
            case let .pool(_, _, wd, win, _, _, kind):
                // Average pooling's sums hold a window's exact sum: win² terms add ceil(log2 win²) bits.
                var log = 0
                while (1 << log) < win * win { log += 1 }
                hold(.lineBuffer, max(1, wd / win), bits: kind == .average ? a + Double(log) : a)
            case let .upsample(_, _, wd, _):
                hold(.lineBuffer, wd)
            case let .softmax(_, cols), let .layerNorm(_, cols):
                hold(.lineBuffer, cols)
                hold(.lineBuffer, 2 * cols, bits: 64)
            case let .elementwise(e, kind) where kind.hasPrefix("reparameteri"):
                hold(.wholeOutput, e)
            case let .matmul(1, _, n, true) where w.edges.contains(where: { $0.consumer == i && $0.kind == .stream }):
                // One row from a streamed input: outer-product accumulation as it arrives (a dot
                // product would need the input whole), n accumulators.
                hold(.accumulators, n, bits: OnChipBuffers.accumulatorBits(t), lanes: true)
            case let .matmul(1, k, _, true) where w.externalInputBytes[i] > 0:
                // One row from the graph input: no producer to accumulate over, so dot products
                // over the input held whole.
                hold(.wholeInput, k, lanes: true)
            case let .matmul(_, k, _, false):
                // A streamed row by row through a row buffer of its heads·k elements.
                hold(.lineBuffer, t.heads * k, lanes: true)
            default: break
            }
        }
        for (p, consumers) in reconvergingForks(w) {
            let whole = Double(w.tasks[p].op.outputElements)
            let rest = whole - 2 * whole / Double(max(1, w.tasks[p].op.streamChunks))
            guard rest > 0 else { continue }
            for c in consumers {
                out[c].append(HeldBuffer(role: .forkDepth, producer: p, elementBits: Double(w.tasks[c].dataType.bits), elements: rest, readByLanes: false))
            }
        }
        return out
    }

    /// Tasks whose output several readers take and whose branches meet again (one task reads it
    /// twice, or two readers share a descendant), with each reader, once per read: a MAC task on
    /// one branch may read its input whole before writing, so the branches' delays differ by up
    /// to the whole tensor and each of its FIFOs is as deep as the tensor (the emitter's rule).
    public static func reconvergingForks(_ w: Workload) -> [(producer: Int, readers: [Int])] {
        let n = w.tasks.count
        var uses = [[Int]](repeating: [], count: n)
        for e in w.edges { uses[e.producer].append(e.consumer) }
        var descendants = [Set<Int>](repeating: [], count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for c in Set(uses[i]) { descendants[i].formUnion(descendants[c].union([c])) }
        }
        var out: [(producer: Int, readers: [Int])] = []
        for p in 0..<n where uses[p].count > 1 {
            var seen: [Int] = []
            for c in uses[p] where !seen.contains(c) { seen.append(c) }
            var meets = seen.count < uses[p].count
            for a in 0..<seen.count {
                for b in (a + 1)..<seen.count where !descendants[seen[a]].union([seen[a]]).isDisjoint(with: descendants[seen[b]].union([seen[b]])) {
                    meets = true
                }
            }
            if meets { out.append((p, uses[p])) }
        }
        return out
    }

    /// Rows of a product of several rows with off-chip weights; nil for any other task.
    static func productRows(_ t: Task) -> Int? {
        if case let .matmul(m, _, _, true) = t.op, m > 1 { return m }
        return nil
    }

    /// Whether a task maps each input element to one output element in place (add, multiply, an
    /// activation), so it streams whatever order its inputs arrive in.
    static func isElementwise(_ t: Task) -> Bool {
        switch t.op {
        case .activation: return true
        case let .elementwise(_, kind): return !kind.hasPrefix("reparameteri")
        default: return false
        }
    }
}
