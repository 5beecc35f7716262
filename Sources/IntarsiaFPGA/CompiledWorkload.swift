import IntarsiaCore

/// A workload flattened into the numbers the cost models read, computed once per spec so that
/// the hot path touches only plain arrays.
public struct CompiledWorkload: Sendable {
    /// Plain numbers only (no strings), so the hot path copies no reference-counted fields.
    public struct TaskFacts: Sendable {
        public var isMAC: Bool
        public var rows: Double
        public var reduction: Double
        public var columns: Double
        public var macs: Double
        public var elementBytes: Double
        /// Bytes of one weight element (int4 weights: 0.5).
        public var weightElementBytes: Double
        /// Off-chip weight bytes (0 when the B operand is an on-chip activation or no MAC).
        public var offChipWeightBytes: Double
        public var outputBytes: Double
        public var outputElements: Double
        public var sfuPasses: Double
        /// Independent slices of the output produced in order: the fill a streaming consumer waits.
        public var chunks: Double
        public var externalInputBytes: Double
        public var dspPerMAC: Double
        public var lutPerLane: Double
        public var ffPerLane: Double
        public var picojoulesPerMAC: Double
        public var isSink: Bool
        /// Dataflow: a product of several rows accumulating outer products over a column-order
        /// stream (`DataflowHeldBuffers`): it reads a row of weights, not a column.
        public var accumulatesColumns: Bool = false
        /// Width of one accumulator of an outer-product accumulation (`OnChipBuffers.accumulatorBits`).
        public var accumulatorBits: Double
        /// Into `predecessorTask` / `predecessorKinds`.
        public var predecessorStart: Int
        public var predecessorCount: Int
    }

    public var workload: Workload
    public var tasks: [TaskFacts]
    /// Task names and operator kinds, by task index.
    public var names: [String]
    public var kinds: [String]
    public var predecessorTask: [Int]
    public var predecessorKinds: [EdgeKind]
    /// Bytes of tensors alive across the boundary before task index `p` (index 0 unused).
    public var liveBytesAtBoundary: [Double]
    /// The buffers each task holds in the dataflow template (`DataflowHeldBuffers.buffers`).
    public var held: [[HeldBuffer]]
    public var repetitions: Double
    public var totalMACs: Double
    public var macTaskCount: Int
    /// Fabric of the special-function units per element lane: one unit per task (dataflow) or
    /// one shared unit per kind of operation (sequential, reconfigurable).
    public var sfuPerTask: (lut: Double, ff: Double, dsp: Double)
    public var sfuPerKind: (lut: Double, ff: Double, dsp: Double)
    /// The largest DSP per MAC, LUT and FF per lane over the MAC tasks (0 without any): what a
    /// lane of the shared units (sequential, reconfigurable) costs, whichever task it runs.
    public var sharedLane: (dsp: Double, lut: Double, ff: Double)

    public init(_ w: Workload, platform: FPGAPlatform) {
        workload = w
        repetitions = Double(w.repetitions)
        var preds: [Int] = []
        var streams: [EdgeKind] = []
        var facts: [TaskFacts] = []
        let sinks = Set(w.sinkTasks)
        for (i, t) in w.tasks.enumerated() {
            let start = preds.count
            for e in w.edges where e.consumer == i {
                preds.append(e.producer)
                streams.append(e.kind)
            }
            let g = t.op.gemmView
            let chunks = Double(t.op.streamChunks)
            let float = t.dataType.isFloat
            facts.append(TaskFacts(
                isMAC: g != nil,
                rows: Double(g?.rows ?? 0), reduction: Double(g?.reduction ?? 0), columns: Double(g?.columns ?? 0),
                macs: Double(t.op.macs), elementBytes: t.dataType.bytes,
                weightElementBytes: (t.weightDataType ?? t.dataType).bytes,
                offChipWeightBytes: t.weightBytes, outputBytes: t.outputBytes,
                outputElements: Double(t.op.outputElements), sfuPasses: Double(t.op.sfuPassesPerOutput),
                chunks: chunks, externalInputBytes: w.externalInputBytes[i],
                dspPerMAC: platform.dspPerMAC(t.dataType, weights: t.weightDataType),
                lutPerLane: ModelConstants.lutPerLane(bits: t.dataType.bits, float: float),
                ffPerLane: ModelConstants.ffPerLane(bits: t.dataType.bits, float: float),
                picojoulesPerMAC: ModelConstants.picojoulesPerMAC(bits: t.dataType.bits, float: float),
                isSink: sinks.contains(i),
                accumulatorBits: OnChipBuffers.accumulatorBits(t),
                predecessorStart: start, predecessorCount: preds.count - start))
        }
        tasks = facts
        names = w.tasks.map(\.name)
        kinds = w.tasks.map(\.op.kindName)
        predecessorTask = preds
        predecessorKinds = streams
        var live = [Double](repeating: 0, count: w.tasks.count + 1)
        if w.tasks.count > 1 {
            for p in 1..<w.tasks.count {
                var producers = Set<Int>()
                for e in w.edges where e.producer < p && e.consumer >= p { producers.insert(e.producer) }
                live[p] = producers.sorted().reduce(0) { $0 + facts[$1].outputBytes }  // ascending, as `Schedule` sums them
            }
        }
        liveBytesAtBoundary = live
        held = DataflowHeldBuffers.buffers(w)
        for i in tasks.indices where tasks[i].isMAC && tasks[i].rows > 1 && held[i].contains(where: { $0.role == .accumulators }) {
            tasks[i].accumulatesColumns = true
        }
        totalMACs = facts.reduce(0) { $0 + $1.macs } * repetitions
        macTaskCount = facts.filter(\.isMAC).count
        var perTask = (lut: 0.0, ff: 0.0, dsp: 0.0), perKind = (lut: 0.0, ff: 0.0, dsp: 0.0)
        var kinds = Set<String>()
        for (t, kind) in zip(facts, w.tasks.map(\.op.kindName)) where !t.isMAC {
            let c = ModelConstants.sfuCostPerLane(kind)
            perTask = (perTask.lut + c.lut, perTask.ff + c.ff, perTask.dsp + c.dsp)
            if kinds.insert(kind).inserted { perKind = (perKind.lut + c.lut, perKind.ff + c.ff, perKind.dsp + c.dsp) }
        }
        sfuPerTask = perTask
        sfuPerKind = perKind
        var lane = (dsp: 0.0, lut: 0.0, ff: 0.0)
        for t in facts where t.isMAC { lane = (max(lane.dsp, t.dspPerMAC), max(lane.lut, t.lutPerLane), max(lane.ff, t.ffPerLane)) }
        sharedLane = lane
    }

    /// The loop bounds of a MAC task's unit on `lanes` lanes: columns (i), row steps (j) and
    /// reduction steps (k), as `StageModel` costs them.
    public func loopBounds(_ task: Int, lanes: Int) -> (i: Int, j: Int, k: Int)? {
        let t = tasks[task]
        guard t.isMAC, lanes > 0 else { return nil }
        let laneK = min(Double(lanes), t.reduction)
        let laneM = max(1, (Double(lanes) / laneK).rounded(.down))
        return (Int(t.columns), Int((t.rows / laneM).rounded(.up)), Int((t.reduction / laneK).rounded(.up)))
    }
}

extension Operator {
    /// Pieces a task's output streams out in (rows of a product, output rows of a convolution per
    /// kernel height, rows of a softmax): the first piece sets when a consumer can start, and a
    /// FIFO between two tasks holds two pieces.
    public var streamChunks: Int {
        switch self {
        case let .conv2d(_, _, h, _, _, r, _, st, p, _): return max(1, ((h + 2 * p - r) / st + 1) / max(1, r))
        case let .transposedConv2d(_, _, h, _, _, _, _, _, _, _): return max(1, h)
        case let .matmul(m, _, n, _): return max(m, n)
        case let .softmax(r, _), let .layerNorm(r, _): return r
        default: return max(1, outputElements / 64)
        }
    }
}
