import Foundation
import IntarsiaCore

/// One stage of a schedule: a contiguous run of the topological order and how it splits lanes.
public struct ScheduledStage: Hashable, Sendable {
    public var tasks: Range<Int>
    public var allocation: LaneAllocation
}

/// The analytical model of the three FPGA templates for one workload on one platform.
/// `evaluate` is the hot path of every search: it allocates nothing for dataflow and
/// sequential designs.
public struct FPGAModel: Sendable {
    public let compiled: CompiledWorkload
    public let platform: FPGAPlatform
    public let constraints: Constraints

    public init(workload: Workload, platform: FPGAPlatform, constraints: Constraints = Constraints()) {
        self.compiled = CompiledWorkload(workload, platform: platform)
        self.platform = platform
        self.constraints = constraints
    }

    public func evaluate(_ p: DesignPoint) -> Evaluation {
        var r = NoRecorder()
        return evaluate(p, recorder: &r)
    }

    /// The stages a template runs for a design point. Dataflow: one stage with every task.
    /// Sequential: one stage per MAC task with the special-function tasks that follow it.
    /// Reconfigurable: the best contiguous partition of the topological order (dynamic program,
    /// exact over such partitions; the GLPK scheduler replaces it for general schedules).
    public func schedule(_ p: DesignPoint) -> [ScheduledStage] {
        let n = compiled.tasks.count
        switch p.template {
        case .dataflow:
            return [ScheduledStage(tasks: 0..<n, allocation: p.allocation)]
        case .sequential:
            var cuts = [0]
            for i in 1..<max(n, 1) where compiled.tasks[i].isMAC { cuts.append(i) }
            cuts.append(n)
            return zip(cuts, cuts.dropFirst()).filter { $0 < $1 }.map { ScheduledStage(tasks: $0..<$1, allocation: .uniform) }
        case .reconfigurable:
            return partition(p)
        }
    }

    func units(_ p: DesignPoint) -> Int {
        switch p.template {
        case .dataflow: return max(1, compiled.macTaskCount)
        case .sequential: return 1
        case .reconfigurable: return p.computeUnits
        }
    }

    func memoryCaps(_ p: DesignPoint) -> (bram: Double, uram: Double, scratchBram: Double, scratchUram: Double) {
        let scratch = Double(p.scratchpadKiB) * 1024
        let env = CycleEnvironment(platform: platform, point: p)
        var sb = 0.0, su = 0.0
        if scratch > 0 {
            if env.uramAvailable { su = (scratch / FPGAPlatform.uramBytes).rounded(.up) } else { sb = (scratch / FPGAPlatform.bram18kBytes).rounded(.up) }
        }
        let bram = (constraints.bramFraction * Double(platform.bram18k)).rounded(.down) - Double(platform.shell.bram18k) - sb
        let uram = (constraints.uramFraction * Double(platform.uram)).rounded(.down) - Double(platform.shell.uram) - su
        return (bram, uram, sb, su)
    }

    func partition(_ p: DesignPoint) -> [ScheduledStage] {
        let n = compiled.tasks.count
        let env = CycleEnvironment(platform: platform, point: p)
        let caps = memoryCaps(p)
        let scratch = p.template == .dataflow ? 0 : Double(p.scratchpadKiB) * 1024
        var best = [Double](repeating: .infinity, count: n + 1)
        var choice = [(Int, LaneAllocation)](repeating: (0, .proportional), count: n + 1)
        best[0] = 0
        var none = NoRecorder()
        for j in 1...n {
            for i in 0..<j {
                guard best[i].isFinite else { continue }
                let boundary = i == 0 ? 0 : StageModel.spill(liveBytes: compiled.liveBytesAtBoundary[i], scratchpadBytes: scratch, policy: p.spill, env: env).cycles
                for a in LaneAllocation.allCases {
                    guard let c = StageModel.cost(compiled, i..<j, lanes: p.lanes, maxUnits: p.computeUnits, allocation: a, env: env, stageIndex: 0, recorder: &none) else { break }
                    // A stage whose buffers do not fit is allowed only alone (so a schedule always exists).
                    if j - i > 1 && (c.bram18k > caps.bram || c.uram > caps.uram) { continue }
                    let total = best[i] + boundary + c.cycles
                    if total < best[j] {
                        best[j] = total
                        choice[j] = (i, a)
                    }
                    if c.macTasks <= 1 { break }  // allocation does not matter with one MAC task
                }
            }
        }
        var stages: [ScheduledStage] = []
        var j = n
        while j > 0 {
            let (i, a) = choice[j]
            stages.append(ScheduledStage(tasks: i..<j, allocation: a))
            j = i
        }
        return stages.reversed()
    }

    /// Evaluates a design point, reporting per-task and per-stage figures to `recorder`.
    public func evaluate<R: CostRecorder>(_ p: DesignPoint, recorder: inout R) -> Evaluation {
        let stages = schedule(p)
        return evaluate(p, stages: stages, recorder: &recorder)
    }

    /// Evaluates a design point under a given schedule (the reconfigurable template's schedules
    /// may come from elsewhere: a heuristic, the ILP, a hand-written one).
    public func evaluate<R: CostRecorder>(_ p: DesignPoint, stages: [ScheduledStage], recorder: inout R) -> Evaluation {
        let env = CycleEnvironment(platform: platform, point: p)
        let maxUnits = units(p)
        let scratch = p.template == .dataflow ? 0 : Double(p.scratchpadKiB) * 1024
        var cycles = 0.0, offChip = 0.0, energy = 0.0
        var maxBram = 0.0, maxUram = 0.0
        var dfDSP = 0.0, dfLUT = 0.0, dfFF = 0.0
        var lanesInUse = 0.0
        for (k, s) in stages.enumerated() {
            var spill = (cycles: 0.0, bytes: 0.0)
            if s.tasks.lowerBound > 0 {
                spill = StageModel.spill(liveBytes: compiled.liveBytesAtBoundary[s.tasks.lowerBound], scratchpadBytes: scratch, policy: p.spill, env: env)
            }
            guard let c = StageModel.cost(compiled, s.tasks, lanes: p.lanes, maxUnits: maxUnits, allocation: s.allocation, env: env, stageIndex: k, recorder: &recorder) else {
                continue
            }
            cycles += spill.cycles + c.cycles
            offChip += spill.bytes + c.offChipBytes
            energy += c.energyPicojoules
            maxBram = max(maxBram, c.bram18k)
            maxUram = max(maxUram, c.uram)
            dfDSP = c.macDSP; dfLUT = c.macLUT; dfFF = c.macFF
            if recorder.isRecording {
                recorder.record(StageRecord(stage: k, tasks: s.tasks.map { compiled.tasks[$0].name },
                                            pattern: StageModel.pattern(compiled, s.tasks, units: maxUnits),
                                            cycles: c.cycles, spillBytesBefore: spill.bytes / 2, bufferBytes: c.bufferBytes))
            }
        }
        var e = Evaluation()
        let reps = compiled.repetitions
        e.stages = stages.count
        e.latencyCycles = cycles * reps
        e.latencyMs = e.latencyCycles / env.clockHz * 1e3
        e.throughputPerSecond = e.latencyMs > 0 ? 1e3 / e.latencyMs : 0
        e.macs = compiled.totalMACs
        e.offChipBytes = offChip * reps
        let sh = platform.shell
        let caps = memoryCaps(p)
        var dsp: Double, lut: Double, ff: Double
        let sfu = p.template == .dataflow ? compiled.sfuPerTask : compiled.sfuPerKind
        let maxSfuDSP = (sfu.dsp * env.sfuWidth).rounded(.up), maxSfuLUT = sfu.lut * env.sfuWidth, maxSfuFF = sfu.ff * env.sfuWidth
        if p.template == .dataflow {
            dsp = dfDSP + maxSfuDSP
            lut = dfLUT + maxSfuLUT
            ff = dfFF + maxSfuFF
            lanesInUse = Double(p.lanes)
        } else {
            var dspPerLane = 0.0, lutPerLane = 0.0, ffPerLane = 0.0
            for t in compiled.tasks where t.isMAC {
                dspPerLane = max(dspPerLane, t.dspPerMAC)
                lutPerLane = max(lutPerLane, t.lutPerLane)
                ffPerLane = max(ffPerLane, t.ffPerLane)
            }
            let l = Double(p.lanes)
            let u = Double(maxUnits)
            dsp = (l * dspPerLane).rounded(.up) + maxSfuDSP
            lut = l * lutPerLane + u * ModelConstants.lutPerUnit + maxSfuLUT
            ff = l * ffPerLane + u * ModelConstants.ffPerUnit + maxSfuFF
            lanesInUse = l
        }
        e.dsp = Int(dsp) + sh.dsp
        e.lut = Int(lut.rounded(.up)) + sh.lut
        e.ff = Int(ff.rounded(.up)) + sh.ff
        e.bram18k = Int(maxBram + caps.scratchBram) + sh.bram18k
        e.uram = Int(maxUram + caps.scratchUram) + sh.uram
        e.utilization = e.latencyCycles > 0 && lanesInUse > 0 ? e.macs / (e.latencyCycles * lanesInUse) : 0
        let seconds = e.latencyMs / 1e3
        let offChipPJ = e.offChipBytes * ModelConstants.picojoulesPerOffChipByte(platform.mainMemory.kind.rawValue)
        let totalPJ = energy * reps + offChipPJ + platform.staticPowerW * seconds * 1e12
        e.energyMJ = totalPJ * 1e-9
        e.powerW = seconds > 0 ? totalPJ * 1e-12 / seconds : 0
        e.violations = violations(of: e)
        return e
    }

    func violations(of e: Evaluation) -> Violations {
        var v: Violations = []
        let k = constraints
        if Double(e.dsp) > k.dspFraction * Double(platform.dsp) { v.insert(.dsp) }
        if Double(e.bram18k) > k.bramFraction * Double(platform.bram18k) { v.insert(.bram) }
        if Double(e.uram) > k.uramFraction * Double(platform.uram) { v.insert(.uram) }
        if Double(e.lut) > k.lutFraction * Double(platform.lut) { v.insert(.lut) }
        if Double(e.ff) > k.ffFraction * Double(platform.ff) { v.insert(.ff) }
        if let l = k.maxLatencyMs, e.latencyMs > l { v.insert(.latency) }
        if let l = k.maxPowerW, e.powerW > l { v.insert(.power) }
        if let l = k.maxEnergyMJ, e.energyMJ > l { v.insert(.energy) }
        return v
    }
}
