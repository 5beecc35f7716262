import Foundation
import IntarsiaCore
import IntarsiaExplore

extension CoExploration {
    /// Uniform random designs: the floor. The kernel's `RandomSampling`, every draw evaluated
    /// (repeats included, as the NAS runs have always sampled).
    public func randomSearch(budget: Int, seed: UInt64, evaluate: Evaluator) rethrows {
        var c = StrategyContext(budget: budget, seed: seed, variation: variation(repairSteps: 0))
        c.distinct = false
        var sampling = RandomSampling(c)
        while true {
            let asked = sampling.ask()
            if asked.isEmpty { return }
            for a in asked { _ = try evaluate(a.point) }
        }
    }

    public func randomSearch(budget: Int, seed: UInt64, visit: (Int, Outcome) -> Void) {
        var n = 0
        randomSearch(budget: budget, seed: seed) { d in let o = evaluate(d); visit(n, o); n += 1; return o }
    }

    /// Regularised evolution's settings (see `evolution`); the defaults are the best found on the
    /// bundled spec (docs/NAS.md).
    public struct EvolutionSettings: Sendable {
        public var population = 30
        public var sample = 10
        public var aids = AidSettings()
        public init() {}
    }

    /// Regularised evolution (Real et al., AAAI 2019) with the co-exploration's structure put to
    /// use: a population aged out oldest first; each step takes the fittest of a random sample,
    /// changes one choice (`mutate`), and repairs the child by the cost model when it breaks a
    /// hardware spec (`repair`). Every `recombineEvery` evaluations the best feasible design made
    /// of cells already answered per task joins the population (`recombine`), and in the last
    /// part of the budget a local search probes the best design's one-edge neighbours
    /// (`Progress.localSearchStep`). Fitness: the weighted accuracy; infeasible designs rank below
    /// every feasible one, by how far they overshoot the specs. A design already evaluated is not
    /// asked again (the budget counts distinct designs).
    @discardableResult
    public func evolution(budget: Int, seed: UInt64, settings: EvolutionSettings = .init(), evaluate: Evaluator) rethrows -> SearchStats {
        var rng = SplitMix64(seed: seed)
        var progress = Progress(self)
        func fitness(_ o: Outcome) -> Double { o.feasible ? o.weightedAccuracy : -1000 * (1 + overshoot(o)) }
        var pop: [(design: Design, fitness: Double)] = []
        func child(_ d: Design) -> Design {
            guard settings.aids.repairSteps > 0 else { return d }
            return repair(d, steps: settings.aids.repairSteps, rng: &rng, checks: &progress.stats.costModelChecks) ?? d
        }
        // A population of distinct designs (fewer when the space has fewer: 1,000 draws in a row
        // that were all seen end the attempt).
        var misses = 0
        while progress.evaluations < min(settings.population, budget) && misses < 1000 {
            let d = child(random(&rng))
            if progress.seen.contains(d) { misses += 1; continue }
            misses = 0
            let o = try progress.evaluate(d, evaluate)
            pop.append((d, fitness(o)))
        }
        func join(_ o: Outcome) {
            pop.append((o.design, fitness(o)))
            pop.removeFirst()
        }
        var repeats = 0
        var aids = AidSchedule(settings.aids, budget: budget, from: progress.evaluations)
        while progress.evaluations < budget {
            if let o = try aids.turn(&progress, &rng, evaluate) { join(o); continue }
            let parent = (0..<settings.sample).map { _ in pop[rng.below(pop.count)] }.max { $0.fitness < $1.fitness }!
            let c = child(mutate(parent.design, &rng))
            // After 50 repeats in a row the step goes on with the repeat.
            if progress.seen.contains(c) && repeats < 50 { repeats += 1; continue }
            repeats = 0
            join(try progress.evaluate(c, evaluate))
            aids.evaluated(progress)
        }
        return progress.stats
    }

    public func evolution(budget: Int, seed: UInt64, settings: EvolutionSettings = .init(), visit: (Int, Outcome) -> Void) {
        var n = 0
        evolution(budget: budget, seed: seed, settings: settings) { d in let o = evaluate(d); visit(n, o); n += 1; return o }
    }
}
