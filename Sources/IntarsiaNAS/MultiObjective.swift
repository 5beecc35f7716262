import Foundation
import IntarsiaCore
import IntarsiaExplore

extension CoExploration {
    /// The objectives of the multi-objective search, all minimised: the weighted accuracy
    /// (negated), latency, energy and area; the violation is the overshoot of the specs
    /// (`overshoot`), 0 when feasible. Fronts and crowding are the kernel's
    /// (`NonDominatedSorting`: constrained domination, infeasible designs by their overshoot).
    func scores(_ o: Outcome) -> Scores {
        Scores(objectives: [-o.weightedAccuracy, o.latencyMs, o.energyMJ, o.areaMM2], feasible: o.feasible, violation: o.feasible ? 0 : overshoot(o))
    }

    /// A uniform crossover: per task its sub-accelerator and architecture, per sub-accelerator
    /// its knobs, from either parent.
    func crossover(_ x: Design, _ y: Design, _ rng: inout SplitMix64) -> Design {
        var c = x
        var hx = hardware.knobs(x.hardware)
        let hy = hardware.knobs(y.hardware)
        for s in hx.indices where rng.below(2) == 1 { hx[s] = hy[s] }
        c.hardware = hardware.candidate(hx)
        for t in tasks.indices where rng.below(2) == 1 { c.assignment[t] = y.assignment[t]; c.cells[t] = y.cells[t] }
        return c
    }

    /// The multi-objective search's settings; the aids are the ones `evolution` uses.
    public struct MultiObjectiveSettings: Sendable {
        public var population = 40
        /// Probability that a child is a crossover of its two parents (then mutated).
        public var crossover = 0.9
        public var aids = AidSettings()
        public init() {}
    }

    /// A multi-objective evolutionary search (NSGA-II: Deb et al., IEEE TEC 2002) over the joint
    /// designs: weighted accuracy up, latency, energy and area down, with the specs as
    /// constraints (constrained domination). Each generation breeds as many children as the
    /// population by binary tournaments (front, then crowding), uniform crossover (per task its
    /// sub-accelerator and architecture, per sub-accelerator its knobs, from either parent) and one
    /// mutation (`mutate`), repaired by the cost model when they break a hardware spec; parents
    /// and children are sorted into fronts and the best fronts survive, the last one cut by
    /// crowding. With the aids of `evolution`: a recombination of the known cells every
    /// `recombineEvery` evaluations and the local search for the last part of the budget (their
    /// designs join the population). A design already evaluated is not asked again. The Pareto
    /// set of every feasible design seen is what the caller gathers.
    @discardableResult
    public func multiObjective(budget: Int, seed: UInt64, settings: MultiObjectiveSettings = .init(), evaluate: Evaluator) rethrows -> SearchStats {
        var rng = SplitMix64(seed: seed)
        var progress = Progress(self)
        typealias Member = (design: Design, scores: Scores)
        func member(_ o: Outcome) -> Member { (o.design, scores(o)) }
        func child(_ d: Design) -> Design {
            guard settings.aids.repairSteps > 0 else { return d }
            return repair(d, steps: settings.aids.repairSteps, rng: &rng, checks: &progress.stats.costModelChecks) ?? d
        }
        var pop: [Member] = []
        // A population of distinct designs (fewer when the space has fewer, as in `evolution`).
        var misses = 0
        while progress.evaluations < min(settings.population, budget) && misses < 1000 {
            let d = child(random(&rng))
            if progress.seen.contains(d) { misses += 1; continue }
            misses = 0
            pop.append(member(try progress.evaluate(d, evaluate)))
        }
        var (rank, crowd) = NonDominatedSorting.rankAndCrowding(pop.map(\.scores))
        func tournament() -> Int {
            let a = rng.below(pop.count), b = rng.below(pop.count)
            if rank[a] != rank[b] { return rank[a] < rank[b] ? a : b }
            return crowd[a] >= crowd[b] ? a : b
        }
        var aids = AidSchedule(settings.aids, budget: budget, from: progress.evaluations)
        while progress.evaluations < budget {
            var children: [Member] = []
            var repeats = 0
            while children.count < settings.population && progress.evaluations < budget {
                if let o = try aids.turn(&progress, &rng, evaluate) { children.append(member(o)); continue }
                let a = pop[tournament()].design, b = pop[tournament()].design
                let base = Double(rng.below(1 << 20)) / Double(1 << 20) < settings.crossover ? crossover(a, b, &rng) : a
                let c = child(mutate(base, &rng))
                // After 50 repeats in a row the step goes on with the repeat.
                if progress.seen.contains(c) && repeats < 50 { repeats += 1; continue }
                repeats = 0
                children.append(member(try progress.evaluate(c, evaluate)))
                aids.evaluated(progress)
            }
            // Environmental selection: the best fronts of parents and children, the last one cut by
            // crowding.
            let all = pop + children
            let (r, c) = NonDominatedSorting.rankAndCrowding(all.map(\.scores))
            let keep = all.indices.sorted { (r[$0], -c[$0], $0) < (r[$1], -c[$1], $1) }.prefix(settings.population)
            pop = keep.map { all[$0] }
            rank = keep.map { r[$0] }
            crowd = keep.map { c[$0] }
        }
        return progress.stats
    }

    public func multiObjective(budget: Int, seed: UInt64, settings: MultiObjectiveSettings = .init(), visit: (Int, Outcome) -> Void) {
        var n = 0
        multiObjective(budget: budget, seed: seed, settings: settings) { d in let o = evaluate(d); visit(n, o); n += 1; return o }
    }
}
