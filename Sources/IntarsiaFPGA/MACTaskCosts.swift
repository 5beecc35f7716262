import IntarsiaCore

/// One way to run a MAC task in a balanced pipeline: its lanes, the BRAM18K and URAM blocks its
/// weight buffers take, and the cycles it needs (`StageBalancer.Option`).
public struct LaneOption: Sendable, Equatable {
    public var lanes: Int
    public var bram18k: Double
    public var uram: Double
    public var cycles: Double
    public init(lanes: Int, bram18k: Double = 0, uram: Double = 0, cycles: Double) {
        self.lanes = lanes
        self.bram18k = bram18k
        self.uram = uram
        self.cycles = cycles
    }
}

/// A MAC task's cycles and weight-buffer blocks at any lane count, for one design point: what
/// the stage balancer trades. The point's cycle environment and the memory's bytes per cycle are
/// worked out once here rather than once per lane option (the balancer asks for 30 to 40 options
/// per task on every point it balances).
public struct MACTaskCosts: Sendable {
    let tasks: [CompiledWorkload.TaskFacts]
    let env: CycleEnvironment
    let bytesPerCycle: Double

    /// Cycles the task takes alone on `lanes` lanes (`StageModel.macCycles`).
    @inline(__always)
    public func cycles(_ task: Int, lanes: Int) -> Double {
        StageModel.macCycles(tasks[task], lanes: Double(lanes), bytesPerCycle: bytesPerCycle, env: env)
    }

    /// BRAM18K and URAM blocks of the task's weight buffers on `lanes` lanes (none when the
    /// weights are read blocking, or the task has one row or no off-chip weights).
    @inline(__always)
    public func bufferBlocks(_ task: Int, lanes: Int) -> (bram18k: Double, uram: Double) {
        let t = tasks[task]
        var c = StageCost()
        if t.rows > 1 && t.offChipWeightBytes > 0 && env.weightLoad != .blocking {
            let columnBytes = t.reduction * t.weightElementBytes * (env.weightLoad == .doubleBuffered ? 2 : 1)
            StageModel.blocks(bytes: columnBytes, parallelBits: min(Double(lanes), t.reduction) * t.weightElementBytes * 8, env: env, into: &c)
        }
        return (c.bram18k, c.uram)
    }

    /// The task's option at each lane count of `lanes`, in that order (the same figures as
    /// `cycles` and `bufferBlocks`, in one loop over the task's facts).
    public func options(_ task: Int, lanes: [Int]) -> [LaneOption] {
        let t = tasks[task]
        let buffered = t.rows > 1 && t.offChipWeightBytes > 0 && env.weightLoad != .blocking
        let columnBytes = t.reduction * t.weightElementBytes * (env.weightLoad == .doubleBuffered ? 2 : 1)
        var out: [LaneOption] = []
        out.reserveCapacity(lanes.count)
        for l in lanes {
            var c = StageCost()
            if buffered {
                StageModel.blocks(bytes: columnBytes, parallelBits: min(Double(l), t.reduction) * t.weightElementBytes * 8, env: env, into: &c)
            }
            out.append(LaneOption(lanes: l, bram18k: c.bram18k, uram: c.uram,
                                  cycles: StageModel.macCycles(t, lanes: Double(l), bytesPerCycle: bytesPerCycle, env: env)))
        }
        return out
    }
}

extension FPGAModel {
    /// The costs of this point's MAC tasks in a dataflow design, the memory's channels shared
    /// among `units` MAC tasks (default: all of the workload's).
    public func macTaskCosts(_ p: DesignPoint, sharing units: Int? = nil) -> MACTaskCosts {
        let env = platformEnvironment.with(p)
        return MACTaskCosts(tasks: compiled.tasks, env: env,
                            bytesPerCycle: env.unitBytesPerCycle(units: max(units ?? compiled.macTaskCount, 1)))
    }
}
