import IntarsiaCore
import IntarsiaExplore

/// The co-exploration as a problem of the exploration kernel: any kernel strategy (NSGA-II,
/// regularised evolution, random sampling, one a caller registers) runs on its joint designs,
/// drawn, mutated, crossed and repaired by the hooks its own strategies use, and scored as its
/// multi-objective search scores them.
extension CoExploration {
    /// The hooks: `random`, `mutate` (one choice), `crossover` and the cost-model `repair` of a
    /// child that breaks a hardware spec (`repairSteps` 0: none).
    public func variation(repairSteps: Int = AidSettings().repairSteps) -> Variation<Design> {
        variation(repairSteps: repairSteps) { _ in }
    }

    /// The hooks, with `counted(n)` told the cost-model checks of each repair.
    func variation(repairSteps: Int, counted: @escaping (Int) -> Void) -> Variation<Design> {
        Variation(
            random: { rng in random(&rng) },
            mutate: { d, rng in mutate(d, &rng) },
            crossover: { a, b, rng in crossover(a, b, &rng) },
            repair: { d, rng in
                guard repairSteps > 0 else { return d }
                var checks = 0
                defer { counted(checks) }
                return repair(d, steps: repairSteps, rng: &rng, checks: &checks) ?? d
            })
    }

    /// An outcome as the kernel sees it (see `scores`).
    public func scored(_ o: Outcome) -> ScoredOutcome { ScoredOutcome(outcome: o, scores: scores(o)) }

    /// A kernel strategy's run with the cost-model aids: the strategy's context (its variation
    /// counting the repairs' cost-model checks, the aids' turns as its `interject` hook), driven
    /// through `evaluate` in the order it asks, each answer recorded before the next turn.
    func runWithAids<S: ExplorationStrategy<Design>>(budget: Int, seed: UInt64, population: Int, aids: AidSettings, evaluate: Evaluator,
                                                     strategy: (StrategyContext<Design>, AidedRun) -> S) rethrows -> (stats: SearchStats, strategy: S) {
        let state = AidedRun(self, aids, budget: budget)
        var c = StrategyContext(budget: budget, seed: seed, population: population,
                                variation: variation(repairSteps: aids.repairSteps) { state.progress.stats.costModelChecks += $0 })
        c.acceptRepeats = true
        c.interject = { rng in state.turn(&rng) }
        var s = strategy(c, state)
        while true {
            let asked = s.ask()
            if asked.isEmpty { break }
            var told: [Scores] = []
            for a in asked { told.append(scores(try state.evaluate(a.point, evaluate))) }
            s.tell(asked, told)
        }
        return (state.progress.stats, s)
    }

    /// The designs one choice away from `d` (local search's neighbours): each hardware knob set
    /// to each other value (`IndexedSpace.neighbours` over the knobs), then per task its other
    /// sub-accelerators and its architecture's neighbours.
    public func neighbours(of d: Design) -> [Design] {
        var out = IndexedSpace(radices: Array(hardware.knobRadices.joined())).neighbours(of: d.hardware).map { h in
            var x = d
            x.hardware = h
            return x
        }
        for t in tasks.indices {
            for k in 1..<max(hardware.slotCount, 1) {
                var x = d
                x.assignment[t] = (d.assignment[t] + k) % hardware.slotCount
                out.append(x)
            }
            for c in tasks[t].space.neighbours(of: d.cells[t]) {
                var x = d
                x.cells[t] = c
                out.append(x)
            }
        }
        return out
    }
}

/// What a kernel strategy's hooks share with its run: the search's progress, the aids' schedule
/// (made at the first turn: after the first population, or before the controller's first
/// batch), and whether the point asked next is an aid's (recombination, local search, the
/// controller's variant of a repeated design) rather than the strategy's own.
final class AidedRun {
    let problem: CoExploration
    var progress: CoExploration.Progress
    let aids: CoExploration.AidSettings
    let budget: Int
    var schedule: CoExploration.AidSchedule?
    var aidTurn = false

    init(_ p: CoExploration, _ aids: CoExploration.AidSettings, budget: Int) {
        problem = p
        progress = CoExploration.Progress(p)
        self.aids = aids
        self.budget = budget
    }

    func turn(_ rng: inout SplitMix64) -> CoExploration.Design? {
        if schedule == nil { schedule = CoExploration.AidSchedule(aids, budget: budget, from: progress.evaluations) }
        let d = schedule!.turn(&progress, &rng)
        aidTurn = d != nil
        return d
    }

    /// The controller's variant of a design it keeps sampling: one change repaired by the cost
    /// model (unrepaired, a second change, when repair fails), until a design not seen, at most
    /// 100 times; nil when every try was seen.
    func variant(of d: CoExploration.Design, seen: Set<CoExploration.Design>, repairSteps: Int, _ rng: inout SplitMix64) -> CoExploration.Design? {
        var x = d
        var checks = 0
        for _ in 0..<100 where seen.contains(x) {
            x = problem.repair(problem.mutate(x, &rng), steps: repairSteps, rng: &rng, checks: &checks) ?? problem.mutate(x, &rng)
        }
        progress.stats.costModelChecks += checks
        guard !seen.contains(x) else { return nil }
        aidTurn = true
        return x
    }

    /// Evaluates and records a design; after the strategy's own evaluation, the aids' schedule
    /// hears of it.
    func evaluate(_ d: CoExploration.Design, _ evaluator: CoExploration.Evaluator) rethrows -> CoExploration.Outcome {
        let own = !aidTurn
        aidTurn = false
        let o = try progress.evaluate(d, evaluator)
        if own { schedule?.evaluated(progress) }
        return o
    }
}

/// An evaluated joint design with its kernel scores.
public struct ScoredOutcome: Scored, Sendable {
    public var outcome: CoExploration.Outcome
    public var scores: Scores
    public var feasible: Bool { scores.feasible }
    public var violation: Double { scores.violation }
    public var objectiveCount: Int { scores.objectiveCount }
    public func objective(_ k: Int) -> Double { scores.objective(k) }
}
