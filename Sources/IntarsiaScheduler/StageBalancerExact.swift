import IntarsiaGLPK

/// The exact min-max split without a general integer program.
///
/// Feasibility is monotone in the initiation interval T (a larger T only adds options), and the
/// least T is one of the options' cycle counts, so `exact` bisects over the sorted distinct
/// cycle counts. At an interval every task takes its cheapest option meeting it: the fewest
/// lanes, ties broken by the least BRAM18K, then URAM, then cycles (the canonical split: among
/// the optimal splits, the fewest lanes per task at the optimal interval). Each probe is decided
/// exactly or not at all:
/// - infeasible when the least lanes, or the least BRAM, or the least URAM each task could use
///   at T (each resource on its own, a lower bound) already exceed a budget;
/// - feasible when the cheapest options fit every budget (a split that fits);
/// - otherwise undecided: some task's fewest-lanes option is not also its least-memory one, and
///   trading among them is a multiple-choice knapsack, left to GLPK (`milp`).
/// With lanes as the only budget (or whenever each task's fewest-lanes option also uses the
/// least BRAM and URAM among the options meeting T) no probe is undecided.
extension StageBalancer {
    public enum ExactOutcome: Sendable, Equatable {
        case optimal(choice: [Int], initiationInterval: Double)
        case infeasible(String)
        /// A probed interval the bisection could not decide: the program needs the MILP.
        case undecided(initiationInterval: Double)
    }

    enum Probe { case feasible, infeasible(String), undecided }

    public static func exact(_ p: Problem) -> ExactOutcome {
        if p.options.isEmpty { return .optimal(choice: [], initiationInterval: 0) }
        for (t, opts) in p.options.enumerated() where opts.isEmpty {
            return .infeasible("task \(p.tasks[t]) has no lane option")
        }
        var candidates: [Double] = []
        candidates.reserveCapacity(p.options.reduce(0) { $0 + $1.count })
        for opts in p.options { for o in opts { candidates.append(o.cycles) } }
        candidates.sort()
        var distinct = 0
        for c in candidates where distinct == 0 || c != candidates[distinct - 1] {
            candidates[distinct] = c
            distinct += 1
        }
        var choice = [Int](repeating: 0, count: p.options.count)
        var lo = 0, hi = distinct - 1
        switch probe(p, candidates[hi], &choice) {
        case .infeasible(let why): return .infeasible(why)
        case .undecided: return .undecided(initiationInterval: candidates[hi])
        case .feasible: break
        }
        while lo < hi {
            let mid = (lo + hi) / 2
            switch probe(p, candidates[mid], &choice) {
            case .feasible: hi = mid
            case .infeasible: lo = mid + 1
            case .undecided: return .undecided(initiationInterval: candidates[mid])
            }
        }
        _ = probe(p, candidates[lo], &choice)
        return .optimal(choice: choice, initiationInterval: candidates[lo])
    }

    /// Decides whether interval `t` is reachable; `choice` gets the cheapest option per task.
    static func probe(_ p: Problem, _ t: Double, _ choice: inout [Int]) -> Probe {
        var lanes = 0, bram = 0.0, uram = 0.0, leastBram = 0.0, leastUram = 0.0
        for (k, opts) in p.options.enumerated() {
            var best = -1
            var minBram = Double.infinity, minUram = Double.infinity
            for (j, o) in opts.enumerated() where o.cycles <= t {
                minBram = min(minBram, o.bram18k)
                minUram = min(minUram, o.uram)
                if best < 0 || cheaper(o, opts[best]) { best = j }
            }
            guard best >= 0 else { return .infeasible("task \(p.tasks[k]) cannot reach \(t) cycles") }
            choice[k] = best
            lanes += opts[best].lanes
            bram += opts[best].bram18k
            uram += opts[best].uram
            leastBram += minBram
            leastUram += minUram
        }
        let tolerance = 1e-9
        if lanes > p.laneBudget {
            return .infeasible("no split fits: the tasks need at least \(lanes) lanes (budget \(p.laneBudget))")
        }
        if leastBram > p.bramBudget + tolerance || leastUram > p.uramBudget + tolerance {
            return .infeasible("no split fits: the tasks' weight buffers need at least \(Int(leastBram)) BRAM18K and \(Int(leastUram)) URAM (budget \(Int(p.bramBudget.rounded(.down))) and \(Int(p.uramBudget.rounded(.down))))")
        }
        if bram <= p.bramBudget + tolerance && uram <= p.uramBudget + tolerance { return .feasible }
        return .undecided
    }

    /// The canonical order among options meeting an interval: fewest lanes, then BRAM, URAM, cycles.
    @inline(__always)
    static func cheaper(_ a: Option, _ b: Option) -> Bool {
        if a.lanes != b.lanes { return a.lanes < b.lanes }
        if a.bram18k != b.bram18k { return a.bram18k < b.bram18k }
        if a.uram != b.uram { return a.uram < b.uram }
        return a.cycles < b.cycles
    }

    static func fits(_ p: Problem, _ choice: [Int]) -> Bool {
        var lanes = 0, bram = 0.0, uram = 0.0
        for (opts, c) in zip(p.options, choice) { lanes += opts[c].lanes; bram += opts[c].bram18k; uram += opts[c].uram }
        return lanes <= p.laneBudget && bram <= p.bramBudget + 1e-9 && uram <= p.uramBudget + 1e-9
    }

    /// Every combination of options (for checking the solvers on small problems): the least
    /// initiation interval, nil when nothing fits.
    public static func exhaustive(_ problem: Problem) -> Double? {
        var best: Double?
        var choice = [Int](repeating: 0, count: problem.options.count)
        func visit(_ t: Int) {
            if t == problem.options.count {
                if fits(problem, choice) {
                    let ii = zip(problem.options, choice).map { $0[$1].cycles }.max() ?? 0
                    best = min(best ?? .infinity, ii)
                }
                return
            }
            for o in problem.options[t].indices { choice[t] = o; visit(t + 1) }
        }
        visit(0)
        return best
    }
}
