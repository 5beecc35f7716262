import IntarsiaCore
import Foundation
import IntarsiaFPGA

/// How the design space is explored.
public enum Strategy: String, Hashable, Sendable, CaseIterable {
    /// Every point, skipping those a lower bound proves infeasible.
    case exhaustive
    /// `budget` distinct points drawn uniformly.
    case random
    /// Multi-objective evolutionary search (NSGA-II: Deb et al., IEEE TEC 2002).
    case nsga2
    /// Exhaustive when the space fits the budget, NSGA-II otherwise.
    case auto

    public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")
}

public struct SearchSettings: Hashable, Sendable {
    public var strategy: Strategy = .auto
    /// Most design points to evaluate.
    public var budget: Int = 20_000
    public var seed: UInt64 = 1
    /// NSGA-II population size.
    public var population: Int = 64
    /// How the reconfigurable template's schedule is chosen for each design point.
    public var scheduler: ReconfigurationSolverChoice = .dp
    /// Balance each pipelined stage's lanes with the stage balancer (GLPK; slower).
    public var balanceStages = false
    public init() {}
}

/// `dp`: shortest path over the schedule graph (fast); `glpk`: the same graph as a 0-1 program
/// solved by GLPK, which also honours an off-chip budget (`constraints.offchip_bytes`).
public enum ReconfigurationSolverChoice: String, Hashable, Sendable, CaseIterable {
    case dp, glpk
}

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

/// Runs a strategy over a design space, handing every evaluated design to `sink` in a
/// deterministic order and keeping only the Pareto front in memory.
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
        public var description: String { "NSGA-II runs cannot be split into shards (each generation depends on the whole previous one); use strategy exhaustive or random, or run separate seeds" }
    }

    public func run(sink: Sink, progress: Progress = { _, _, _ in }) throws -> SearchSummary {
        let start = Date()
        var strategy = settings.strategy
        if strategy == .auto { strategy = space.count <= settings.budget ? .exhaustive : .nsga2 }
        var state = State(objectives: objectives)
        let evaluator = ParallelEvaluator(model: model, workers: workers)
        var nextID = 0
        func consume(_ points: [DesignPoint], ids: [Int]? = nil, _ total: Int) throws -> [Evaluation] {
            let evals = evaluator.evaluate(points)
            var batch: [EvaluatedDesign] = []
            batch.reserveCapacity(points.count)
            for (k, (p, e)) in zip(points, evals).enumerated() {
                let id = ids?[k] ?? nextID
                nextID += 1
                let d = EvaluatedDesign(id: id, point: p, evaluation: e)
                state.evaluated += 1
                if e.feasible { state.feasible += 1 }
                state.archive.offer(d)
                batch.append(d)
            }
            try sink(batch)
            progress(state.evaluated, total, state.archive.members.count)
            return evals
        }
        let mine: (Int) -> Bool = { i in shard.map { i % $0.count == $0.index } ?? true }
        switch strategy {
        case .exhaustive, .auto:
            let total = space.count
            var batch: [DesignPoint] = []
            var ids: [Int] = []
            // Indices i < total with i % count == index: no intermediate sum, so any i/N (N up to Int.max) is safe.
            let expected = shard.map { $0.index < total ? (total - 1 - $0.index) / $0.count + 1 : 0 } ?? total
            // Points made and pruned on the workers, a stretch of indices at a time, then taken in
            // index order.
            var from = 0
            while from < total {
                let end = from + min(16_384, total - from)  // no overflow for a space of Int.max points
                let stretch = (from..<end).filter(mine)
                from = end
                let points = Parallel.map(stretch.count, workers: workers, sequentialBelow: 1024) { k -> DesignPoint? in
                    let p = space.point(at: stretch[k])
                    return provablyInfeasible(p) ? nil : p
                }
                for (i, p) in zip(stretch, points) {
                    guard let p else { state.pruned += 1; continue }
                    batch.append(p)
                    ids.append(i)
                    if batch.count == 4096 {
                        _ = try consume(batch, ids: ids, expected - state.pruned)
                        batch.removeAll(keepingCapacity: true)
                        ids.removeAll(keepingCapacity: true)
                    }
                }
            }
            if !batch.isEmpty { _ = try consume(batch, ids: ids, expected - state.pruned) }
        case .random:
            var rng = SplitMix64(seed: settings.seed)
            let want = min(settings.budget, space.count)
            var seen = Set<Int>()
            var batch: [DesignPoint] = []
            var ids: [Int] = []
            var attempts = 0
            var position = 0
            while seen.count < want && attempts < want * 20 {
                attempts += 1
                let i = rng.below(space.count)
                guard seen.insert(i).inserted else { continue }
                let p = space.point(at: i)
                if provablyInfeasible(p) { state.pruned += 1; continue }
                defer { position += 1 }
                guard mine(position) else { continue }
                batch.append(p)
                ids.append(position)
                if batch.count == 4096 {
                    _ = try consume(batch, ids: ids, want)
                    batch.removeAll(keepingCapacity: true)
                    ids.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { _ = try consume(batch, ids: ids, want) }
        case .nsga2:
            if shard != nil { throw ShardingUnsupported() }
            try NSGA2(space: space, objectives: objectives, settings: settings).run { points in
                try consume(points, min(settings.budget, space.count))
            }
        }
        return SearchSummary(strategy: strategy, spaceSize: space.count, evaluated: state.evaluated, pruned: state.pruned,
                             feasible: state.feasible, pareto: state.archive.members.sorted { $0.id < $1.id },
                             seconds: Date().timeIntervalSince(start))
    }

    struct State {
        var evaluated = 0
        var pruned = 0
        var feasible = 0
        var archive: ParetoArchive
        init(objectives: [Objective]) { archive = ParetoArchive(objectives: objectives) }
    }

    /// Lower bounds that need no evaluation: every lane costs at least the cheapest DSP per MAC
    /// (dataflow may lose up to one lane per task to rounding), and no design beats all its
    /// lanes busy every cycle.
    func provablyInfeasible(_ p: DesignPoint) -> Bool {
        let c = model.compiled
        var minDSP = Double.infinity
        for t in c.tasks where t.isMAC { minDSP = min(minDSP, t.dspPerMAC) }
        // A balanced split may leave lanes unused, so only the other splits bound the DSPs.
        if minDSP.isFinite && !(p.template == .dataflow && p.allocation == .balanced) {
            let usable = p.template == .dataflow ? Double(p.lanes - c.macTaskCount) : Double(p.lanes)
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
