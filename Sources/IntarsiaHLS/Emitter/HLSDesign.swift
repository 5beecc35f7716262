import IntarsiaCore
import IntarsiaFPGA

/// The model's decisions for one design point, in the terms the emitted code needs: lanes and
/// unroll factors per task, stages, FIFO depths, where each tensor lives, memory bundles and
/// buffer storage.
public struct HLSDesign: Sendable {
    /// Storage of a buffer: the model's rule (`OnChipBuffers.storage`).
    public typealias Storage = BufferStorage

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
    /// The model's on-chip buffers (`FPGAModel.onChipBuffers`), stage by stage, and by step.
    public var modelBuffers: [[OnChipBuffer]]
    public var modelTaskBuffers: [[OnChipBuffer]]
    /// Dataflow: rows of each step's output when it streams column by column, 0 in row order
    /// (`DataflowHeldBuffers.columnRows`).
    public var columnRows: [Int]

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
        let byName = Dictionary(tasks.map { ($0.task, $0) }, uniquingKeysWith: { a, _ in a })
        let lanes = program.steps.map { s in s.isMAC ? max(1, byName[s.name]?.lanes ?? point.lanes) : 1 }
        self.lanes = lanes
        unroll = Self.unrollFactors(program, lanes: lanes)
        let stage = program.steps.map { byName[$0.name]?.stage ?? 0 }
        self.stage = stage
        stageCount = (stage.max() ?? 0) + 1
        let uramAvailable = platform.uram > platform.shell.uram
        let model = FPGAModel(workload: workload, platform: platform).onChipBuffers(point, tasks: tasks)
        modelBuffers = model
        let index = Dictionary(workload.tasks.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let all = Array(model.joined())
        let taskBuffers = program.steps.map { s in index[s.name].map { t in all.filter { $0.task == t } } ?? [] }
        modelTaskBuffers = taskBuffers
        let columns = DataflowHeldBuffers.columnRows(workload)
        columnRows = program.steps.map { s in index[s.name].map { columns[$0] } ?? 0 }
        // Edges whose consumer holds the producer's whole output (the model counts no FIFO).
        let held = Set(program.steps.indices.flatMap { c in
            taskBuffers[c].filter { $0.role == .operand }.compactMap { b in program.steps.firstIndex { index[$0.name] == b.producer }.map { [$0, c] } }
        })
        let fifos = Self.dataflowStreams(program, ops: workload.tasks.map(\.op), overrides: options.fifoDepthOverrides, held: held)
        streams = fifos.streams
        forks = fifos.forks
        let lastUse = Self.lastUseStage(program, stage: stage)
        let location = Self.locations(program, point: point, stage: stage, stageCount: stageCount, lastUse: lastUse)
        self.location = location
        let layout = Self.activationLayout(program, location: location, stage: stage, lastUse: lastUse)
        offset = layout.offset
        scratchElements = layout.scratchElements
        dramElements = layout.dramElements
        let weights = Self.weightLayout(program)
        weightOffset = weights.offset
        weightElements = weights.elements
        bufferStorage = program.steps.map { s in
            OnChipBuffers.storage(bytes: program.tensorBytes(max(s.inputElements.max() ?? 0, s.outputElements)), uramAvailable: uramAvailable)
        }
        scratchStorage = OnChipBuffers.storage(bytes: program.tensorBytes(layout.scratchElements), uramAvailable: uramAvailable)
        let bundles = Self.bundles(program, channels: platform.mainMemory.channels)
        inputBundle = bundles.input
        weightBundle = bundles.weight
        outputBundle = bundles.output
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
