/// One node of a workload graph.
public struct Task: Hashable, Sendable {
    public var name: String
    public var op: Operator
    /// Format of activations and of the MAC operands.
    public var dataType: DataType
    /// Format of off-chip weights when it differs from `dataType` (GPT-2 medium W4A8: int4 weights).
    public var weightDataType: DataType?
    /// A matrix product of activations batched over attention heads (GPT-2's 16 heads in one
    /// task): A is `m × (heads·k)`, the output `m × n` holds the heads' `n/heads` columns side by
    /// side. Cost models see only the MACs and bytes, which batching leaves unchanged; the HLS
    /// reference and emitted code compute each head's product.
    public var heads: Int
    /// Whether an activation B operand is stored transposed (`n/heads` rows of `heads·k`): Kᵀ in Q·Kᵀ.
    public var transposeB: Bool

    public init(name: String, op: Operator, dataType: DataType, weightDataType: DataType? = nil, heads: Int = 1, transposeB: Bool = false) {
        self.name = name
        self.op = op
        self.dataType = dataType
        self.weightDataType = weightDataType
        self.heads = heads
        self.transposeB = transposeB
    }

    public var outputBytes: Double { Double(op.outputElements) * dataType.bytes }
    public var weightBytes: Double {
        guard let g = op.gemmView, g.weightsOffChip else { return 0 }
        return Double(g.weightElements) * (weightDataType ?? dataType).bytes
    }
}

/// How a consumer takes a producer's tensor.
public enum EdgeKind: String, Hashable, Sendable, CaseIterable {
    /// The consumer starts on the producer's output as it streams, in production order.
    case stream
    /// The consumer needs the whole tensor before it starts (e.g. `S` before `softmax(S)·V`,
    /// or a dot product over the whole previous vector).
    case barrier
    /// One of two activation operands of a matrix product (Q and K in Q·Kᵀ): held whole when the
    /// other operand is produced alongside it, streamed against the other when that one is
    /// already complete (e.g. K rows streamed against a finished Q give S column by column).
    case either
}

/// A tensor flowing from `producer` to `consumer` (indices into `Workload.tasks`).
public struct Edge: Hashable, Sendable {
    public var producer: Int
    public var consumer: Int
    public var kind: EdgeKind
    public var bytes: Double

    public init(producer: Int, consumer: Int, kind: EdgeKind, bytes: Double) {
        self.producer = producer
        self.consumer = consumer
        self.kind = kind
        self.bytes = bytes
    }
}

/// A task graph. Tasks are kept in a topological order; every edge goes forward.
/// `repetitions` runs the whole graph that many times back to back (the 24 identical blocks
/// of GPT-2 medium), each repetition with its own weights.
public struct Workload: Hashable, Sendable {
    public var name: String
    public private(set) var tasks: [Task]
    public private(set) var edges: [Edge]
    public var repetitions: Int
    /// Bytes read from off-chip as the graph's input (not produced by any task), per task index.
    public private(set) var externalInputBytes: [Double]
    /// Each task's inputs in the order the workload lists them (operand order: A, then B):
    /// producer task indices, or `Workload.graphInput` for the graph's own input.
    public private(set) var operands: [[Int]]
    public static let graphInput = -1

    public enum GraphError: Error, Equatable, CustomStringConvertible {
        case duplicateTask(String)
        case unknownInput(task: String, input: String)
        case cycle([String])
        case empty
        public var description: String {
            switch self {
            case .duplicateTask(let n): return "task name '\(n)' is used twice; task names must be unique"
            case .unknownInput(let t, let i): return "task '\(t)' takes input '\(i)', which is neither a task nor 'input'"
            case .cycle(let names): return "the tasks \(names.joined(separator: ", ")) form a cycle; a workload must be a DAG"
            case .empty: return "the workload has no tasks"
            }
        }
    }

    /// A consumer's reference to a producer, by task name; `input` names the graph's own input.
    public struct Input: Hashable, Sendable {
        public var from: String
        public var kind: EdgeKind
        public init(_ from: String, _ kind: EdgeKind) {
            self.from = from
            self.kind = kind
        }
    }

    /// Builds a graph from tasks and their inputs, and sorts it topologically (stable: the given
    /// order is kept where the edges allow).
    public init(name: String, tasks: [(Task, [Input])], repetitions: Int = 1) throws {
        guard !tasks.isEmpty else { throw GraphError.empty }
        var index: [String: Int] = [:]
        for (i, (t, _)) in tasks.enumerated() {
            if index[t.name] != nil { throw GraphError.duplicateTask(t.name) }
            index[t.name] = i
        }
        var rawEdges: [Edge] = []
        var external = [Double](repeating: 0, count: tasks.count)
        for (ci, (t, inputs)) in tasks.enumerated() {
            for input in inputs {
                if input.from == "input" {
                    // The graph input: the consumer's A operand read from off-chip.
                    external[ci] += Self.inputBytes(of: t)
                    continue
                }
                guard let pi = index[input.from] else { throw GraphError.unknownInput(task: t.name, input: input.from) }
                rawEdges.append(Edge(producer: pi, consumer: ci, kind: input.kind, bytes: tasks[pi].0.outputBytes))
            }
        }
        // Kahn's algorithm, taking the lowest original index first so the order is deterministic.
        var indegree = [Int](repeating: 0, count: tasks.count)
        var successors = [[Int]](repeating: [], count: tasks.count)
        for e in rawEdges {
            indegree[e.consumer] += 1
            successors[e.producer].append(e.consumer)
        }
        var ready = (0..<tasks.count).filter { indegree[$0] == 0 }
        var order: [Int] = []
        while let next = ready.min() {
            ready.removeAll { $0 == next }
            order.append(next)
            for s in successors[next] {
                indegree[s] -= 1
                if indegree[s] == 0 { ready.append(s) }
            }
        }
        guard order.count == tasks.count else {
            throw GraphError.cycle((0..<tasks.count).filter { indegree[$0] > 0 }.map { tasks[$0].0.name })
        }
        var position = [Int](repeating: 0, count: tasks.count)
        for (p, i) in order.enumerated() { position[i] = p }
        self.name = name
        self.tasks = order.map { tasks[$0].0 }
        self.externalInputBytes = order.map { external[$0] }
        self.operands = order.map { tasks[$0].1.map { $0.from == "input" ? Self.graphInput : position[index[$0.from]!] } }
        self.edges = rawEdges.map { Edge(producer: position[$0.producer], consumer: position[$0.consumer], kind: $0.kind, bytes: $0.bytes) }
            .sorted { ($0.consumer, $0.producer) < ($1.consumer, $1.producer) }
        self.repetitions = repetitions
    }

    /// Bytes of a task's main (A) operand, used when it reads the graph input.
    static func inputBytes(of t: Task) -> Double {
        if let g = t.op.gemmView {
            switch t.op {
            case let .conv2d(b, c, h, w, _, _, _, _, _, _), let .transposedConv2d(b, c, h, w, _, _, _, _, _, _):
                return Double(b * c * h * w) * t.dataType.bytes
            default:
                return Double(g.rows * g.reduction) * t.dataType.bytes
            }
        }
        switch t.op {
        case let .pool(c, h, w, _, _, _, _), let .upsample(c, h, w, _): return Double(c * h * w) * t.dataType.bytes
        default: return t.outputBytes
        }
    }

    /// Tasks whose output no other task consumes: their outputs are written off chip.
    public var sinkTasks: [Int] {
        let producers = Set(edges.map(\.producer))
        return tasks.indices.filter { !producers.contains($0) }
    }

    public var totalMACs: Int { tasks.reduce(0) { $0 + $1.op.macs } * repetitions }

    /// Whether the whole workload's MACs stay within 2^62 (so `totalMACs` cannot overflow).
    public var sizeIsRepresentable: Bool {
        tasks.reduce(0.0) { $0 + Double($1.op.macs) } * Double(repetitions) < 4.6e18
    }
    public var macTaskCount: Int { tasks.filter { $0.op.gemmView != nil }.count }
}
