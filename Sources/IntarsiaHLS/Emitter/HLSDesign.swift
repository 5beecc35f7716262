import IntarsiaCore
import IntarsiaFPGA

/// The model's decisions for one design point, in the terms the emitted code needs: lanes and
/// unroll factors per task, stages, FIFO depths, where each tensor lives, memory bundles and
/// buffer storage.
public struct HLSDesign: Sendable {
    public enum Storage: String, Sendable {
        case uram, bram, lutram
        /// The model's rule (StageModel.blocks): under 1 KiB in LUTRAM, from
        /// `ModelConstants.uramThresholdBytes` in URAM when the part has URAM, else BRAM.
        static func of(bytes: Double, uramAvailable: Bool) -> Storage {
            if bytes < 1024 { return .lutram }
            if uramAvailable && bytes >= ModelConstants.uramThresholdBytes { return .uram }
            return .bram
        }
        public var pragmaImpl: String { self == .lutram ? "lutram" : rawValue }
    }

    /// Where a tensor lives in the sequential and reconfigurable templates.
    public enum Location: String, Sendable { case onChip = "on_chip", offChip = "off_chip" }

    public struct Stream: Sendable {
        public var producer: Int
        public var consumer: Int
        /// Which of the consumer's operands it carries (a task may read one tensor twice, x·x).
        public var operand: Int
        public var name: String
        public var depth: Int
    }

    public var program: HLSProgram
    public var point: DesignPoint
    public var platform: FPGAPlatform
    public var evaluation: Evaluation
    public var topName: String
    /// MAC lanes of each step (1 for special-function steps).
    public var lanes: [Int]
    /// The reduction-loop unroll factor (= array partition factor) of each step.
    public var unroll: [Int]
    public var stage: [Int]
    public var stageCount: Int
    /// Dataflow: one stream per producer→consumer edge, depth in elements.
    public var streams: [Stream]
    /// Dataflow: producers whose output goes to several consumers through a fork process.
    public var forks: [Int]
    /// Sequential / reconfigurable: each step's output location and offset (elements) in
    /// its memory (the on-chip scratchpad or the off-chip activation buffer).
    public var location: [Location]
    public var offset: [Int]
    public var scratchElements: Int
    /// Off-chip activation buffer: the graph input at 0, then spilled tensors, then outputs.
    public var dramElements: Int
    public var weightOffset: [Int]
    public var weightElements: Int
    /// Storage of each step's local buffers (dataflow) and of the scratchpad.
    public var bufferStorage: [Storage]
    public var scratchStorage: Storage
    /// m_axi bundle of the graph input, of each step's weights and of each sink's output (dataflow);
    /// sequential and reconfigurable use gmem0 (activations) and gmem1 (weights).
    public var inputBundle: [Int: String]
    public var weightBundle: [Int: String]
    public var outputBundle: [Int: String]

    public struct Options: Sendable {
        /// FIFO depths forced by edge name (`producer_to_consumer`), for experiments and tests.
        public var fifoDepthOverrides: [String: Int] = [:]
        public var topName = "intarsia_top"
        public init() {}
    }

    public init(program: HLSProgram, workload: Workload, point: DesignPoint, platform: FPGAPlatform, evaluation: Evaluation,
                tasks: [TaskRecord], options: Options = Options()) {
        self.program = program
        self.point = point
        self.platform = platform
        self.evaluation = evaluation
        topName = options.topName
        let n = program.steps.count
        let byName = Dictionary(tasks.map { ($0.task, $0) }, uniquingKeysWith: { a, _ in a })
        let lanes = program.steps.map { s in s.isMAC ? max(1, byName[s.name]?.lanes ?? point.lanes) : 1 }
        self.lanes = lanes
        unroll = program.steps.enumerated().map { i, s in
            switch s.kind {
            case let .gemm(_, k, _, _, _): return max(1, min(lanes[i], k))
            case let .conv2d(_, c, _, _, _, r, q, _, _), let .transposedConv2d(_, c, _, _, _, r, q, _, _): return max(1, min(lanes[i], c * r * q))
            default: return 1
            }
        }
        stage = program.steps.map { byName[$0.name]?.stage ?? 0 }
        stageCount = (stage.max() ?? 0) + 1
        let uramAvailable = platform.uram > platform.shell.uram
        let bytes = program.activationFormat.bits
        func tensorBytes(_ elements: Int) -> Double { Double(elements * bytes) / 8 }

        // Dataflow streams: the model's FIFO (two output pieces, StageModel) per edge; a fork
        // whose branches meet again holds the whole tensor (the emitted MAC modules read their
        // operands whole before writing, so the branches' delays differ by up to a tensor).
        var streams: [Stream] = []
        var forks: [Int] = []
        var descendants = [Set<Int>](repeating: [], count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for c in program.consumers[i] { descendants[i].formUnion(descendants[c].union([c])) }
        }
        let ops = workload.tasks.map(\.op)
        // Every use of a tensor, in consumer order: (consumer, operand position).
        var uses = [[(consumer: Int, operand: Int)]](repeating: [], count: n)
        for (c, st) in program.steps.enumerated() {
            for (j, src) in st.inputs.enumerated() { if case .task(let q) = src { uses[q].append((c, j)) } }
        }
        for p in 0..<n {
            let cons = program.consumers[p]
            var reconverges = cons.count < uses[p].count  // one consumer reads it twice
            if uses[p].count > 1 {
                forks.append(p)
                for a in 0..<cons.count {
                    for b in (a + 1)..<cons.count where !descendants[cons[a]].union([cons[a]]).isDisjoint(with: descendants[cons[b]].union([cons[b]])) {
                        reconverges = true
                    }
                }
            }
            let elements = program.steps[p].outputElements
            let modelDepth = max(2, 2 * elements / max(1, ops[p].streamChunks))
            for u in uses[p] {
                var name = "\(program.steps[p].name)_to_\(program.steps[u.consumer].name)"
                if uses[p].filter({ $0.consumer == u.consumer }).count > 1 { name += "_in\(u.operand)" }
                name = sanitize(name)
                let depth = options.fifoDepthOverrides[name] ?? (reconverges ? max(2, elements) : min(modelDepth, max(2, elements)))
                streams.append(Stream(producer: p, consumer: u.consumer, operand: u.operand, name: name, depth: depth))
            }
        }
        self.streams = streams
        self.forks = forks

        // Sequential / reconfigurable placement: a tensor that crosses a stage boundary stays on
        // chip while the boundary's live set fits the scratchpad (spill: overflow), in producer
        // order, else it is spilled for its whole life; spill: always spills every crossing tensor.
        var lastUse = [Int](repeating: -1, count: n)
        for (c, s) in program.steps.enumerated() {
            for case .task(let p) in s.inputs { lastUse[p] = max(lastUse[p], stage[c]) }
        }
        var location = [Location](repeating: .onChip, count: n)
        for p in program.sinks { location[p] = .offChip }
        let scratchBytes = Double(point.scratchpadKiB) * 1024
        if !Self.streams(point.template) {
            for boundary in 1..<max(stageCount, 1) {
                var used = 0.0
                for p in 0..<n where stage[p] < boundary && lastUse[p] >= boundary && location[p] == .onChip {
                    let b = tensorBytes(program.steps[p].outputElements)
                    if point.spill == .always || used + b > scratchBytes { location[p] = .offChip } else { used += b }
                }
            }
        }
        self.location = location
        // Offsets: on-chip tensors share the scratchpad by lifetime (first fit); off-chip ones
        // follow the graph input in the activation buffer.
        var offset = [Int](repeating: 0, count: n)
        var placed: [(lo: Int, hi: Int, from: Int, to: Int)] = []
        var scratch = 0
        var dram = program.graphInputElements
        for p in 0..<n {
            let size = program.steps[p].outputElements
            if location[p] == .offChip {
                offset[p] = dram
                dram += size
                continue
            }
            let from = stage[p], to = max(stage[p], lastUse[p])
            var at = 0
            let overlapping = placed.filter { !($0.to < from || $0.from > to) }.sorted { $0.lo < $1.lo }
            // Sorted by start, so one pass finds the lowest gap.
            for r in overlapping where at + size > r.lo && at < r.hi { at = r.hi }
            offset[p] = at
            placed.append((at, at + size, from, to))
            scratch = max(scratch, at + size)
        }
        self.offset = offset
        scratchElements = max(1, scratch)
        dramElements = max(1, dram)
        var wOff = [Int](repeating: 0, count: n)
        var wTotal = 0
        for (i, s) in program.steps.enumerated() where s.hasWeights {
            wOff[i] = wTotal
            wTotal += s.weightElements
        }
        weightOffset = wOff
        weightElements = max(1, wTotal)
        bufferStorage = program.steps.map { s in
            Storage.of(bytes: tensorBytes(max(s.inputElements.max() ?? 0, s.outputElements)), uramAvailable: uramAvailable)
        }
        scratchStorage = Storage.of(bytes: tensorBytes(scratchElements), uramAvailable: uramAvailable)

        // m_axi bundles: one per off-chip port, dealt round-robin over the memory's channels.
        let channels = max(1, platform.mainMemory.channels)
        var next = 0
        func bundle() -> String {
            defer { next += 1 }
            return "gmem\(next % channels)"
        }
        var ib: [Int: String] = [:], wb: [Int: String] = [:], ob: [Int: String] = [:]
        for (i, s) in program.steps.enumerated() {
            if s.inputs.contains(.graphInput) { ib[i] = bundle() }
            if s.hasWeights { wb[i] = bundle() }
        }
        for p in program.sinks { ob[p] = bundle() }
        inputBundle = ib
        weightBundle = wb
        outputBundle = ob
    }
}

extension HLSDesign {
    /// Bytes of on-chip buffers the emitted code declares: dataflow, each whole-operand task's
    /// operand and output buffers and its weight column buffer; sequential and reconfigurable,
    /// the scratchpad and each unit's double column buffer. FIFOs are not counted.
    public var emittedBufferBytes: Int {
        let a = program.activationFormat.bits
        var bits = 0
        let columnBits = program.steps.map { KernelCalls.weightTerms($0) * $0.weightFormat.bits }.max() ?? 0
        if streaming {
            for s in program.steps {
                switch s.kind {
                case .activation, .add, .multiply: continue
                case let .softmax(_, c), let .layerNorm(_, c): bits += c * a
                default:
                    bits += (s.inputElements.reduce(0, +) + s.outputElements) * a
                    bits += 2 * KernelCalls.weightTerms(s) * s.weightFormat.bits
                }
            }
        } else {
            let units = programUnits
            bits = scratchElements * a + units * 2 * columnBits
        }
        return (bits + 7) / 8
    }
}

/// A C++ identifier from a task name (dots and dashes become underscores).
func sanitize(_ s: String) -> String {
    var out = ""
    for ch in s.unicodeScalars {
        if (ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z") || (ch >= "0" && ch <= "9") || ch == "_" { out.unicodeScalars.append(ch) } else { out += "_" }
    }
    if let f = out.unicodeScalars.first, f >= "0" && f <= "9" { out = "t_" + out }
    return out
}
