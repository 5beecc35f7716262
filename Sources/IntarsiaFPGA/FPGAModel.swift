import Foundation
import IntarsiaCore

/// The analytical model of the three FPGA templates for one workload on one platform.
/// `evaluate` is the hot path of every search: dataflow and sequential schedules depend only on
/// the workload and are built once, so their evaluation allocates nothing.
public struct FPGAModel: Sendable {
    public let compiled: CompiledWorkload
    public let platform: FPGAPlatform
    public let constraints: Constraints
    let proportionalDataflow: Schedule
    let uniformDataflow: Schedule
    let sequentialSchedule: Schedule
    /// A schedule the reconfigurable template must follow (hand-written, or from a solver)
    /// instead of the one it would choose.
    public let fixedReconfigurableSchedule: Schedule?
    /// Chooses the reconfigurable template's schedule instead of the built-in shortest path over
    /// the schedule graph (the GLPK scheduler plugs in here); when it throws, the built-in one
    /// stands in and the design's `solverStatus` is `.fallback` with the error as its reason.
    public var reconfigurableScheduler: (@Sendable (FPGAModel, DesignPoint) throws -> ScheduleChoice)?
    /// Lanes per task (by task index) for `allocation: balanced`, with how they were found; no
    /// lanes or no balancer: the proportional split, and `Evaluation.laneSplit` and
    /// `solverStatus` say so. It may read only the knobs `BalancedSplitCache` keys on: its
    /// split is solved once per key and kept.
    public var laneBalancer: (@Sendable (FPGAModel, DesignPoint) -> BalancedSplit)? {
        didSet { balancedCache = BalancedSplitCache() }  // the splits are the balancer's
    }
    /// Lanes per task index for one stage of a reconfigurable schedule (the stage balancer for
    /// pipelined stages), with how they were found; when set, every stage of several MAC tasks
    /// also tries this split. A split not proven (no lanes, or a solver stopped at a limit)
    /// makes the design's `solverStatus` say so (`StageSplitStatus`).
    public var stageBalancer: (@Sendable (FPGAModel, DesignPoint, [Int]) -> BalancedSplit)? {
        didSet { reconfigurableCache = ReconfigurableCache() }  // stage costs depend on the balancer
    }
    /// Topologies and stage costs of the reconfigurable template, kept across evaluations.
    private(set) var reconfigurableCache = ReconfigurableCache()
    /// Balanced splits solved, kept across evaluations (`balancedSplit`).
    private(set) var balancedCache = BalancedSplitCache()

    /// The same model with empty caches (what a first evaluation of each point costs: benches).
    public func withEmptyCaches() -> FPGAModel {
        var m = self
        m.reconfigurableCache = ReconfigurableCache()
        m.balancedCache = BalancedSplitCache()
        return m
    }
    /// Platform figures per cycle, worked out once.
    let platformEnvironment: CycleEnvironment
    let picojoulesPerOffChipByte: Double
    /// The dataflow template's stage as plain numbers (`evaluateDataflowFast`).
    let dataflowPlan: DataflowPlan

    public init(workload: Workload, platform: FPGAPlatform, constraints: Constraints = Constraints(), reconfigurableSchedule: [[Int]]? = nil) throws {
        let c = CompiledWorkload(workload, platform: platform)
        compiled = c
        self.platform = platform
        self.constraints = constraints
        let all = Array(0..<c.tasks.count)
        proportionalDataflow = try! Schedule(c, stages: [all], allocations: [.proportional])
        uniformDataflow = try! Schedule(c, stages: [all], allocations: [.uniform])
        var groups: [[Int]] = []
        for i in all {
            if StageModel.opensSequentialStage(c.tasks[i], first: groups.isEmpty) { groups.append([i]) } else { groups[groups.count - 1].append(i) }
        }
        sequentialSchedule = try! Schedule(c, stages: groups, allocations: groups.map { _ in .uniform })
        fixedReconfigurableSchedule = try reconfigurableSchedule.map { try Schedule(c, stages: $0) }
        picojoulesPerOffChipByte = platform.offChipPicojoulesPerByte
        var env = CycleEnvironment(platform: platform, point: DesignPoint(template: .dataflow, lanes: 1))
        env.outputsPerLane = c.tasks.filter(\.isMAC).map { 1 / $0.reduction }.max() ?? 0
        platformEnvironment = env
        dataflowPlan = DataflowPlan(c, env: env)
    }

    /// A model without a fixed schedule (cannot fail).
    public init(workload: Workload, platform: FPGAPlatform, constraints: Constraints = Constraints()) {
        try! self.init(workload: workload, platform: platform, constraints: constraints, reconfigurableSchedule: nil)
    }

    public func evaluate(_ p: DesignPoint) -> Evaluation {
        var r = NoRecorder()
        return evaluate(p, recorder: &r)
    }

    /// The stages a template runs for a design point. Dataflow: one stage with every task.
    /// Sequential: one stage per MAC task with the special-function tasks that follow it.
    /// Reconfigurable: the shortest path over the schedule graph (every schedule of the task
    /// graph; the optimum GLPK also proves), a plugged-in scheduler's, or the spec's hand-written
    /// one.
    public func schedule(_ p: DesignPoint) -> Schedule { scheduleChoice(p).schedule }

    /// The schedule, the space it was chosen in and how its solver ended. A plugged-in scheduler
    /// that fails gives way to the shortest path, and the status says `fallback` and why.
    public func scheduleChoice(_ p: DesignPoint) -> ScheduleChoice {
        switch p.template.schedulePolicy {
        case .allTasksResident: return ScheduleChoice(schedule: p.allocation == .uniform ? uniformDataflow : proportionalDataflow)
        case .oneMACTaskPerStage: return ScheduleChoice(schedule: sequentialSchedule)
        case .chosenPerPoint:
            if let f = fixedReconfigurableSchedule {
                let (ids, table) = reconfigurableCache.lookup(self, p, fixed: .given, f)
                let split = table.splitStatus(over: ids, names: stageNames)
                return ScheduleChoice(schedule: bestAllocations(p, f), space: .given, status: split == .optimal ? .given : split)
            }
            if let solver = reconfigurableScheduler {
                do { return try solver(self, p) } catch {
                    var c = partition(p)
                    c.status = .fallback(reason: "\(error)")
                    return c
                }
            }
            return partition(p)
        }
    }

    /// The on-chip scratchpad for intermediates between stages, bytes: none when every task has
    /// units of its own (nothing is held between stages).
    func scratchpadBytes(_ p: DesignPoint) -> Double {
        switch p.template.resourceRule {
        case .perTaskUnits: return 0
        case .sharedUnits: return Double(p.scratchpadKiB) * 1024
        }
    }

    func units(_ p: DesignPoint) -> Int {
        switch p.template.unitRule {
        case .onePerMACTask: return max(1, compiled.macTaskCount)
        case .one: return 1
        case .computeUnitsKnob: return p.computeUnits
        }
    }

    @inline(__always)
    func memoryCaps(_ p: DesignPoint, _ env: CycleEnvironment) -> (bram: Double, uram: Double, scratchBram: Double, scratchUram: Double) {
        let scratch = Double(p.scratchpadKiB) * 1024
        var sb = 0.0, su = 0.0
        if scratch > 0 {
            if env.uramAvailable { su = (scratch / FPGAPlatform.uramBytes).rounded(.up) } else { sb = (scratch / FPGAPlatform.bram18kBytes).rounded(.up) }
        }
        let bram = (constraints.bramFraction * Double(platform.bram18k)).rounded(.down) - Double(platform.shell.bram18k) - sb
        let uram = (constraints.uramFraction * Double(platform.uram)).rounded(.down) - Double(platform.shell.uram) - su
        return (bram, uram, sb, su)
    }

    /// BRAM18K and URAM blocks left for one stage's buffers (after the shell and the scratchpad).
    public func stageMemoryLimits(_ p: DesignPoint) -> (bram: Double, uram: Double) {
        let c = memoryCaps(p, platformEnvironment.with(p))
        return (c.bram, c.uram)
    }

    /// The buffers one stage of a schedule holds.
    public func stageFootprint(_ p: DesignPoint, _ s: ScheduledStage) -> (bram18k: Double, uram: Double) {
        var none = NoRecorder()
        let c = StageModel.cost(compiled, s.tasks, lanes: p.lanes, maxUnits: Int.max, allocation: s.allocation,
                                env: platformEnvironment.with(p), stageIndex: 0, recorder: &none)!
        return (c.bram18k, c.uram)
    }

    /// Each stage's fastest lane split among those whose buffers fit, as the schedule graph
    /// chooses it; nil when a stage of several tasks fits under no split (single-task stages
    /// are always allowed, so that a schedule exists).
    public func fittingAllocations(_ p: DesignPoint, _ s: Schedule) -> Schedule? {
        fastestSplits(p, s, fitting: true)
    }

    /// Each stage's fastest lane split of a given schedule (a hand-written one, or one from a
    /// solver), buffers unchecked.
    public func bestAllocations(_ p: DesignPoint, _ s: Schedule) -> Schedule {
        fastestSplits(p, s, fitting: false) ?? s
    }

    /// Each stage's fastest split (`fastestSplit`); with `fitting`, only splits whose buffers fit
    /// the memory left, and nil when a stage has none.
    func fastestSplits(_ p: DesignPoint, _ s: Schedule, fitting: Bool) -> Schedule? {
        let env = platformEnvironment.with(p)
        let caps = fitting ? memoryCaps(p, env) : (bram: Double.infinity, uram: Double.infinity, scratchBram: 0, scratchUram: 0)
        var out = s
        for k in out.stages.indices {
            guard let best = fastestSplit(p, s.stages[k].tasks, env: env, memory: (caps.bram, caps.uram)) else {
                if fitting { return nil } else { continue }
            }
            out.stages[k].allocation = best.allocation
            out.stages[k].taskLanes = best.taskLanes
        }
        return out
    }

    /// A stage's fastest lane split among `stageSplitCandidates` (only the proportional one when
    /// the stage has at most one MAC task: the split cannot matter) whose buffers fit `memory`
    /// (a stage of one task always fits, so that a schedule exists); nil when none fits or a
    /// split cannot be costed.
    func fastestSplit(_ p: DesignPoint, _ tasks: [Int], env: CycleEnvironment, memory: (bram: Double, uram: Double))
        -> (allocation: LaneAllocation, taskLanes: [Double]?, cost: StageCost)? {
        var none = NoRecorder()
        var macs = 0
        for t in tasks where compiled.tasks[t].isMAC { macs += 1 }
        let candidates = macs <= 1 ? [(LaneAllocation.proportional, nil as [Double]?)] : stageSplitCandidates(p, tasks).splits
        var best: (allocation: LaneAllocation, taskLanes: [Double]?, cost: StageCost)?
        for (a, lanes) in candidates {
            guard let c = StageModel.cost(compiled, tasks, lanes: p.lanes, maxUnits: units(p), allocation: a,
                                          env: env, stageIndex: 0, recorder: &none, taskLanes: lanes) else { return nil }
            if tasks.count > 1 && (c.bram18k > memory.bram || c.uram > memory.uram) { continue }
            if best == nil || c.cycles < best!.cost.cycles { best = (a, lanes, c) }
        }
        return best
    }

    /// Cycles a MAC task takes alone on `lanes` lanes in a dataflow design of this point (the
    /// memory's channels shared among all MAC tasks): what the stage balancer trades.
    public func dataflowTaskCycles(_ task: Int, lanes: Int, _ p: DesignPoint, sharing units: Int? = nil) -> Double {
        macTaskCosts(p, sharing: units).cycles(task, lanes: lanes)
    }

    /// BRAM18K and URAM blocks of a MAC task's weight buffers on `lanes` lanes.
    public func taskBufferBlocks(_ task: Int, lanes: Int, _ p: DesignPoint) -> (bram18k: Double, uram: Double) {
        macTaskCosts(p).bufferBlocks(task, lanes: lanes)
    }

    /// BRAM18K and URAM blocks the stage balancer may give to weight buffers.
    /// A design of units per task (dataflow) has no scratchpad (its `scratchpad_kib` knob is not
    /// its own and stays at the default, 4 MiB): none is set aside, as `evaluate` sets none aside.
    public func balancerMemoryBudget(_ p: DesignPoint) -> (bram18k: Double, uram: Double) {
        var q = p
        q.scratchpadKiB = scratchpadBytes(p) == 0 ? 0 : q.scratchpadKiB
        let c = memoryCaps(q, platformEnvironment.with(q))
        return (c.bram, c.uram)
    }

    /// The optimal schedule over the schedule graph (see `ScheduleGraph`).
    func partition(_ p: DesignPoint) -> ScheduleChoice {
        let g = ScheduleGraph.build(self, p)
        // Every single-task stage is an arc, so a path always exists.
        return ScheduleChoice(schedule: g.schedule(self, g.shortestPath()!), space: g.space, status: g.splitStatus)
    }

    /// Evaluates a design point, reporting per-task and per-stage figures to `recorder`.
    public func evaluate<R: CostRecorder>(_ p: DesignPoint, recorder: inout R) -> Evaluation {
        if !recorder.isRecording {
            switch p.template.schedulePolicy {
            case .allTasksResident: if dataflowClosedFormApplies(p) { return evaluateDataflowFast(p) }
            case .oneMACTaskPerStage: return evaluateFixedFast(p, .sequential, sequentialSchedule)
            case .chosenPerPoint:
                if let fixed = fixedReconfigurableSchedule { return evaluateFixedFast(p, .given, fixed) }
                if reconfigurableScheduler == nil { return evaluateReconfigurableFast(p) }
            }
        }
        let choice = scheduleChoice(p)
        var e = evaluate(p, schedule: choice.schedule, recorder: &recorder)
        e.scheduleSpace = choice.space
        // A balanced dataflow split has set the status from how its solver ended; the template's
        // fixed schedule must not overwrite it with `optimal` (a fallback was lost that way).
        if e.laneSplit == nil { e.solverStatus = choice.status }
        return e
    }

    /// The lane splits a stage of several MAC tasks may use: proportional, uniform, and the
    /// stage balancer's when one is plugged in and found one; `balancer` is how the balancer's
    /// solve ended (nil: not asked).
    public func stageSplitCandidates(_ p: DesignPoint, _ tasks: [Int]) -> (splits: [(LaneAllocation, [Double]?)], balancer: LaneSplitStatus?) {
        var out: [(LaneAllocation, [Double]?)] = LaneAllocation.stageSplits.map { ($0, nil) }
        guard let b = stageBalancer, tasks.filter({ compiled.tasks[$0].isMAC }).count > 1 else { return (out, nil) }
        let split = b(self, p, tasks)
        if let lanes = split.lanes { out.append((.balanced, lanes)) }
        return (out, split.status)
    }

    /// Evaluates a design point under a given schedule (the reconfigurable template's schedules
    /// may come from elsewhere: a heuristic, the ILP, a hand-written one).
    public func evaluate<R: CostRecorder>(_ p: DesignPoint, schedule: Schedule, recorder: inout R) -> Evaluation {
        let env = platformEnvironment.with(p)
        let maxUnits = units(p)
        let scratch = scratchpadBytes(p)
        var totals = StageTotals()
        var balanced: BalancedSplit?
        if p.template.schedulePolicy == .allTasksResident && p.allocation == .balanced {
            balanced = balancedSplit(p).split
        }
        for (k, s) in schedule.stages.enumerated() {
            var spill = (cycles: 0.0, bytes: 0.0)
            if k > 0 {
                spill = StageModel.spill(liveBytes: s.liveBytesBefore, scratchpadBytes: scratch, policy: p.spill, env: env)
            }
            let given = s.taskLanes ?? balanced?.lanes
            guard let c = StageModel.cost(compiled, s.tasks, lanes: p.lanes, maxUnits: maxUnits, allocation: s.allocation, env: env,
                                          stageIndex: k, recorder: &recorder, taskLanes: given, builtLoops: s.builtLoops,
                                          fifoElements: s.fifoElements, streamedEdges: s.streamedEdges) else {
                totals.tooManyTasks = true
                continue
            }
            totals.add(c, spill: spill)
            if recorder.isRecording {
                recorder.record(StageRecord(stage: k, tasks: s.tasks.map { compiled.names[$0] },
                                            pattern: StageModel.pattern(compiled, s.tasks, units: maxUnits),
                                            cycles: c.cycles, spillBytesBefore: spill.bytes / 2, bufferBytes: c.bufferBytes,
                                            liveBefore: s.liveTensorsBefore.map { compiled.names[$0] }, liveBytesBefore: s.liveBytesBefore))
            }
        }
        totals.stages = schedule.stages.count
        var e = finish(p, env: env, totals: totals)
        if let split = balanced?.status { e.record(laneSplit: split) }
        return e
    }
}
