import IntarsiaExplore

/// How the design space is explored.
public enum Strategy: String, Hashable, Sendable, CaseIterable {
    /// Every point, skipping those a lower bound proves infeasible.
    case exhaustive
    /// `budget` distinct points drawn uniformly.
    case random
    /// Multi-objective evolutionary search (NSGA-II: Deb et al., IEEE TEC 2002).
    case nsga2
    /// Regularised evolution (Real et al., AAAI 2019) on the first objective.
    case evolution
    /// Hill climbing over one-knob neighbours with random restarts, on the first objective.
    case local
    /// NASAIC's REINFORCE controller over the template and its knobs, on the first objective.
    case reinforce
    /// Exhaustive when the space fits the budget, NSGA-II otherwise.
    case auto

    public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")

    /// The exploration kernel's name for the strategy (`auto` is resolved before a run).
    public var kernelName: String {
        switch self {
        case .exhaustive, .auto: return StrategyName.exhaustive
        case .random: return StrategyName.random
        case .nsga2: return StrategyName.nsga2
        case .evolution: return StrategyName.evolution
        case .local: return StrategyName.local
        case .reinforce: return StrategyName.reinforce
        }
    }
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
