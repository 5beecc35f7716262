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

    /// Regularised evolution (Real et al., AAAI 2019; the kernel's `RegularisedEvolution`) with
    /// the co-exploration's structure put to use as its hooks (`runWithAids`): a population aged
    /// out oldest first; each step takes the fittest of a random sample, changes one choice
    /// (`mutate`), and repairs the child by the cost model when it breaks a hardware spec
    /// (`repair`). Every `recombineEvery` evaluations the best feasible design made
    /// of cells already answered per task joins the population (`recombine`), and in the last
    /// part of the budget a local search probes the best design's one-edge neighbours
    /// (`Progress.localSearchStep`). Fitness: the weighted accuracy; infeasible designs rank below
    /// every feasible one, by how far they overshoot the specs. A child already evaluated is drawn
    /// again, up to 50 times in a row; then the repeat is evaluated (`acceptRepeats`; the oracle's
    /// cache answers it), so the budget counts distinct designs unless the search is stuck.
    @discardableResult
    public func evolution(budget: Int, seed: UInt64, settings: EvolutionSettings = .init(), evaluate: Evaluator) rethrows -> SearchStats {
        try runWithAids(budget: budget, seed: seed, population: settings.population, aids: settings.aids, evaluate: evaluate) { c, _ in
            var c = c
            c.sample = settings.sample
            return RegularisedEvolution(c)
        }.stats
    }

    public func evolution(budget: Int, seed: UInt64, settings: EvolutionSettings = .init(), visit: (Int, Outcome) -> Void) {
        var n = 0
        evolution(budget: budget, seed: seed, settings: settings) { d in let o = evaluate(d); visit(n, o); n += 1; return o }
    }
}
