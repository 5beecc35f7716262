import IntarsiaCore
import Foundation
import IntarsiaExplore
import IntarsiaFPGA

/// What a finished search reports.
public struct SearchSummary: Sendable {
    public var strategy: Strategy
    public var spaceSize: Int
    public var evaluated: Int
    public var pruned: Int
    public var feasible: Int
    public var pareto: [EvaluatedDesign]
    public var seconds: Double
}

/// Runs a strategy of the exploration kernel over a design space's flat indices, handing every
/// evaluated design to `sink` in a deterministic order and keeping only the Pareto front in
/// memory.
public struct SearchRunner: Sendable {
    public let model: FPGAModel
    public let space: DesignSpace
    public let objectives: [Objective]
    public let settings: SearchSettings
    public var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    public init(model: FPGAModel, space: DesignSpace, objectives: [Objective], settings: SearchSettings) {
        self.model = model
        self.space = space
        self.objectives = objectives
        self.settings = settings
    }

    public typealias Sink = ([EvaluatedDesign]) throws -> Void
    public typealias Progress = (_ evaluated: Int, _ total: Int, _ paretoSize: Int) -> Void

    /// Runs only this share of the search: shard `index` of `count` (0-based). Exhaustive runs
    /// take the design points whose index in the space is `index` modulo `count`; random runs
    /// draw the single run's sequence and keep the same residue class. Every row's `id` is its
    /// position in the single run's sequence, so shards' rows merged by id are the single run's.
    public var shard: (index: Int, count: Int)?

    public struct ShardingUnsupported: Error, CustomStringConvertible {
        public var description: String { "NSGA-II and evolution runs cannot be split into shards (each generation depends on the whole previous one); use strategy exhaustive or random, or run separate seeds" }
    }

    /// The strategy the settings name (`auto`: exhaustive when the space fits the budget,
    /// NSGA-II otherwise).
    public var resolvedStrategy: Strategy {
        settings.strategy != .auto ? settings.strategy : (space.count <= settings.budget ? .exhaustive : .nsga2)
    }

    /// What the kernel's strategies are built from: the space's indices, the budget, the seed,
    /// the population, the shard and the lower-bound pruning.
    public var context: StrategyContext<Int> {
        var c = StrategyContext(space: space.indexed, budget: min(settings.budget, space.count), seed: settings.seed,
                                population: max(4, min(settings.population, min(settings.budget, space.count))))
        c.workers = workers
        c.shard = shard
        let decoder = PointDecoder(space), bound = LowerBound(model)
        c.prune = { bound.provablyInfeasible(decoder.point(at: $0)) }
        return c
    }

    public func run(sink: Sink, progress: Progress = { _, _, _ in }) throws -> SearchSummary {
        let strategy = resolvedStrategy
        if shard != nil && (strategy == .nsga2 || strategy == .evolution) { throw ShardingUnsupported() }
        var s = try StrategyRegistry<Int>.standard.make(strategy.kernelName, context)
        return try run(&s, as: strategy, sink: sink, progress: progress)
    }

    /// Runs any kernel strategy over the space's flat indices (one a caller built or registered);
    /// `label` is what the summary reports.
    public func run(_ strategy: inout any ExplorationStrategy<Int>, as label: Strategy, sink: Sink,
                    progress: Progress = { _, _, _ in }) throws -> SearchSummary {
        func open(_ s: inout some ExplorationStrategy<Int>) throws -> SearchSummary {
            try runOpened(&s, as: label, sink: sink, progress: progress)
        }
        return try open(&strategy)
    }

    func runOpened(_ strategy: inout some ExplorationStrategy<Int>, as label: Strategy, sink: Sink,
                   progress: Progress) throws -> SearchSummary {
        let start = Date()
        var state = State(objectives: objectives)
        let evaluator = ParallelEvaluator(model: model, workers: workers), decoder = PointDecoder(space)
        while true {
            let asked = strategy.ask()
            if asked.isEmpty { break }
            let batch = evaluator.evaluate(asked, in: decoder)
            strategy.tell(asked, batch.map { ScoredEvaluation($0.evaluation, objectives) })
            for d in batch {
                state.evaluated += 1
                if d.evaluation.feasible { state.feasible += 1 }
                state.archive.offer(d)
            }
            try sink(batch)
            progress(state.evaluated, strategy.planned, state.archive.count)
        }
        return SearchSummary(strategy: label, spaceSize: space.count, evaluated: state.evaluated, pruned: strategy.pruned,
                             feasible: state.feasible, pareto: state.archive.members.sorted { $0.id < $1.id },
                             seconds: Date().timeIntervalSince(start))
    }

    struct State {
        var evaluated = 0
        var feasible = 0
        var archive: DesignFront
        init(objectives: [Objective]) { archive = DesignFront(objectives: objectives) }
    }

}

/// Lower bounds that need no evaluation: every lane costs at least the cheapest DSP per MAC
/// (dataflow may lose up to one lane per task to rounding), and no design beats all its lanes
/// busy every cycle. The model's figures they need are read once, not per point.
struct LowerBound: Sendable {
    let model: FPGAModel
    /// The cheapest DSP per MAC over the MAC tasks (infinite when there are none).
    let minDSP: Double

    init(_ model: FPGAModel) {
        self.model = model
        var m = Double.infinity
        for t in model.compiled.tasks where t.isMAC { m = min(m, t.dspPerMAC) }
        minDSP = m
    }

    func provablyInfeasible(_ p: DesignPoint) -> Bool {
        let c = model.compiled
        // A balanced split may leave lanes unused, so only the other splits bound the DSPs.
        if minDSP.isFinite && !(p.template.schedulePolicy == .allTasksResident && p.allocation == .balanced) {
            let usable: Double
            switch p.template.resourceRule {
            case .perTaskUnits: usable = Double(p.lanes - c.macTaskCount)
            case .sharedUnits: usable = Double(p.lanes)
            }
            let dspFloor = max(0, usable) * minDSP + Double(model.platform.shell.dsp)
            if dspFloor > model.constraints.dspFraction * Double(model.platform.dsp) { return true }
        }
        if let maxMs = model.constraints.maxLatencyMs {
            let cyclesFloor = c.totalMACs / Double(p.lanes)
            if cyclesFloor / (model.platform.clockMHz * 1e3) > maxMs { return true }
        }
        return false
    }
}
