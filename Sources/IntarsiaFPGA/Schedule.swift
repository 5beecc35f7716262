import IntarsiaCore

/// One stage of a schedule: tasks run together (in topological order) and how they split lanes.
public struct ScheduledStage: Hashable, Sendable {
    public var tasks: [Int]
    public var allocation: LaneAllocation
    /// Tensors produced by earlier stages and still needed by this stage or later ones: what the
    /// scratchpad holds (or what spills) at the boundary before this stage.
    public var liveTensorsBefore: [Int]
    public var liveBytesBefore: Double
    /// Lanes per task index when the stage's split was balanced by the stage balancer.
    public var taskLanes: [Double]?
    /// Loop nests as built per task index (`BuiltLoop`), for a design whose tasks' loops do not
    /// follow the workload's arithmetic; nil for every design the model builds itself.
    public var builtLoops: [BuiltLoop?]? = nil
    /// FIFO depths as built, in elements, per input edge (`CompiledWorkload`'s predecessor
    /// index; `.infinity` where the model's own buffering applies), for a design whose FIFO
    /// holds less than its producer's output: the producer runs no further ahead of its consumer
    /// than the FIFO holds (`StageModel.place`). Nil for every design the model builds itself.
    public var fifoElements: [Double]? = nil
    /// Input edges (by predecessor index) a task streams as built whatever their kind: it
    /// accumulates outer products along the reduction in the order its producer emits them
    /// (`StageModel.place`). Nil for every design the model builds itself.
    public var streamedEdges: [Bool]? = nil
}

/// A schedule with where it came from: the space it was chosen in and how its solver ended.
public struct ScheduleChoice: Sendable {
    public var schedule: Schedule
    public var space: ScheduleSpace
    public var status: SolverStatus
    public init(schedule: Schedule, space: ScheduleSpace = .template, status: SolverStatus = .optimal) {
        self.schedule = schedule
        self.space = space
        self.status = status
    }
}

/// A static schedule: stages in execution order.
public struct Schedule: Hashable, Sendable {
    public var stages: [ScheduledStage]

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// Builds a schedule from stages of task indices, checking that every task runs exactly
    /// once and no task runs before a producer it needs, and working out what is alive at each
    /// stage boundary.
    public init(_ w: CompiledWorkload, stages groups: [[Int]], allocations: [LaneAllocation]? = nil, taskLanes: [[Double]?]? = nil) throws {
        let n = w.tasks.count
        var stageOf = [Int](repeating: -1, count: n)
        for (k, g) in groups.enumerated() {
            if g.isEmpty { throw Invalid(description: "stage \(k) has no task") }
            for i in g {
                guard i >= 0 && i < n else { throw Invalid(description: "stage \(k) names task index \(i), outside 0..<\(n)") }
                guard stageOf[i] == -1 else { throw Invalid(description: "task '\(w.names[i])' is in stage \(stageOf[i]) and stage \(k); each task runs once") }
                stageOf[i] = k
            }
        }
        if let missing = stageOf.firstIndex(of: -1) { throw Invalid(description: "task '\(w.names[missing])' is in no stage") }
        for (c, t) in w.tasks.enumerated() {
            for e in t.predecessorStart..<(t.predecessorStart + t.predecessorCount) where stageOf[w.predecessorTask[e]] > stageOf[c] {
                throw Invalid(description: "task '\(w.names[c])' (stage \(stageOf[c])) needs '\(w.names[w.predecessorTask[e]])', which runs later (stage \(stageOf[w.predecessorTask[e]]))")
            }
        }
        var consumersLastStage = [Int](repeating: -1, count: n)
        for (c, t) in w.tasks.enumerated() {
            for e in t.predecessorStart..<(t.predecessorStart + t.predecessorCount) {
                let p = w.predecessorTask[e]
                consumersLastStage[p] = max(consumersLastStage[p], stageOf[c])
            }
        }
        stages = groups.enumerated().map { k, g in
            let live = (0..<n).filter { stageOf[$0] < k && consumersLastStage[$0] >= k }
            return ScheduledStage(tasks: g.sorted(), allocation: allocations?[k] ?? .proportional, liveTensorsBefore: live,
                                  liveBytesBefore: live.reduce(0) { $0 + w.tasks[$1].outputBytes }, taskLanes: taskLanes?[k])
        }
    }
}
