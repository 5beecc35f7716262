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
        Variation(
            random: { rng in random(&rng) },
            mutate: { d, rng in mutate(d, &rng) },
            crossover: { a, b, rng in crossover(a, b, &rng) },
            repair: { d, rng in
                guard repairSteps > 0 else { return d }
                var checks = 0
                return repair(d, steps: repairSteps, rng: &rng, checks: &checks) ?? d
            })
    }

    /// An outcome as the kernel sees it (see `scores`).
    public func scored(_ o: Outcome) -> ScoredOutcome { ScoredOutcome(outcome: o, scores: scores(o)) }
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
