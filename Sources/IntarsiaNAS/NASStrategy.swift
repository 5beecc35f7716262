/// The NAS strategies by the names specs and `--strategy` use, spelled once: the two baselines
/// and the sampling strategies (`sampling`), which `NASRun.run` runs on the kernel: random
/// sampling, regularised evolution and NSGA-II (`moea`) as the kernel's strategies with the
/// cost-model aids as their hooks, and the REINFORCE controller. A name nobody lists here is
/// refused where it is read, with these names as the accepted ones.
public enum NASStrategy: String, CaseIterable, Sendable {
    /// The exact optimum (GLPK per hardware candidate; table oracles only).
    case exact
    /// The most accurate cells (or a hardware-blind search), then the fastest hardware.
    case successive
    /// The kernel's random sampling (`StrategyName.random`).
    case random
    /// The kernel's regularised evolution (`StrategyName.evolution`) with the aids.
    case evolution
    /// NASAIC's REINFORCE controller with the aids.
    case reinforce
    /// The kernel's NSGA-II (`StrategyName.nsga2`) with the aids, under the name the bundled
    /// specs and results have always used.
    case moea

    /// The strategies that sample designs through a checkpointed `NASRun`, in the order a run
    /// reports them.
    public static let sampling: [NASStrategy] = [.random, .evolution, .reinforce, .moea]

    /// Every name, in order (what an unknown name's error lists).
    public static var names: [String] { allCases.map(\.rawValue) }
}
