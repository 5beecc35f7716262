import IntarsiaCore

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
