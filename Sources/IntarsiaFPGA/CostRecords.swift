/// One task's figures in a stage, for breakdowns.
public struct TaskRecord: Sendable, Codable {
    public var task: String
    public var op: String
    public var stage: Int
    public var lanes: Int
    public var startCycle: Double
    public var finishCycle: Double
    public var busyCycles: Double
    public var macs: Double
    public var utilization: Double
    public var onChipBufferBytes: Double
    public var offChipBytes: Double
}

/// One stage's figures, for breakdowns.
public struct StageRecord: Sendable, Codable {
    public var stage: Int
    public var tasks: [String]
    public var pattern: String
    public var cycles: Double
    public var spillBytesBefore: Double
    public var bufferBytes: Double
    /// Tensors (by producer) alive at the boundary before this stage: the scratchpad contents.
    public var liveBefore: [String]
    public var liveBytesBefore: Double
}

/// Receives per-task and per-stage figures while a schedule is costed; the search uses the
/// no-op one, `evaluate` a collecting one.
public protocol CostRecorder {
    var isRecording: Bool { get }
    mutating func record(_ task: TaskRecord)
    mutating func record(_ stage: StageRecord)
}

public struct NoRecorder: CostRecorder {
    public init() {}
    public var isRecording: Bool { false }
    @inline(__always) public mutating func record(_ task: TaskRecord) {}
    @inline(__always) public mutating func record(_ stage: StageRecord) {}
}

public struct BreakdownRecorder: CostRecorder {
    public var tasks: [TaskRecord] = []
    public var stages: [StageRecord] = []
    public init() {}
    public var isRecording: Bool { true }
    public mutating func record(_ task: TaskRecord) { tasks.append(task) }
    public mutating func record(_ stage: StageRecord) { stages.append(stage) }
}
