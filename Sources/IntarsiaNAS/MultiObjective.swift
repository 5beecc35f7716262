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

    /// A multi-objective evolutionary search (NSGA-II: Deb et al., IEEE TEC 2002; the kernel's
    /// `NSGA2`, with the aids as its hooks, `runWithAids`) over the joint designs: weighted accuracy up, latency, energy and area down, with the specs as
    /// constraints (constrained domination). Each generation breeds as many children as the
    /// population by binary tournaments (front, then crowding), uniform crossover (per task its
    /// sub-accelerator and architecture, per sub-accelerator its knobs, from either parent) and one
    /// mutation (`mutate`), repaired by the cost model when they break a hardware spec; parents
    /// and children are sorted into fronts and the best fronts survive, the last one cut by
    /// crowding. With the aids of `evolution`: a recombination of the known cells every
    /// `recombineEvery` evaluations and the local search for the last part of the budget (their
    /// designs join the population). A child already evaluated is drawn again, up to 50 times in
    /// a row, then evaluated anyway (as `evolution`). The Pareto set of every feasible design seen
    /// is what the caller gathers.
    @discardableResult
    public func multiObjective(budget: Int, seed: UInt64, settings: MultiObjectiveSettings = .init(), evaluate: Evaluator) rethrows -> SearchStats {
        try runWithAids(budget: budget, seed: seed, population: settings.population, aids: settings.aids, evaluate: evaluate) { c, _ in
            var c = c
            c.crossoverRate = settings.crossover
            return NSGA2(c)
        }.stats
    }

    public func multiObjective(budget: Int, seed: UInt64, settings: MultiObjectiveSettings = .init(), visit: (Int, Outcome) -> Void) {
        var n = 0
        multiObjective(budget: budget, seed: seed, settings: settings) { d in let o = evaluate(d); visit(n, o); n += 1; return o }
    }
}
