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
        let s = Staircases(p)
        var choice = [Int](repeating: 0, count: p.options.count)
        // At the slowest first step every task takes its overall cheapest option.
        var hi = s.firstStepMax
        switch s.probe(p, hi, &choice) {
        case .lanesShort(let lanes):
            return .infeasible("no split fits: the tasks need at least \(lanes) lanes (budget \(p.laneBudget))")
        case .memoryShort: return generalBisection(p)
        case .fits(let used): hi = used
        }
        var lo = s.lastStepMax
        while lo < hi {
            var mid = lo + (hi - lo) / 2
            if !(mid < hi) { mid = lo }
            switch s.probe(p, mid, &choice) {
            case .fits(let used): hi = used
            case .lanesShort: lo = min(s.nextAbove(mid), hi)
            case .memoryShort: return generalBisection(p)
            }
        }
        _ = s.probe(p, hi, &choice)
        return .optimal(choice: choice, initiationInterval: hi)
    }

    /// Each task's options in the canonical order (fewest lanes, then BRAM, URAM, cycles), kept
    /// only where their cycles beat every cheaper option's: at interval T the canonical choice is
    /// the first step with cycles <= T (found by binary search, cycles fall along the steps).
    struct Staircases {
        var option: [Int] = []
        var cycles: [Double] = []
        var lanes: [Int] = []
        var bram: [Double] = []
        var uram: [Double] = []
        var start: [Int] = []
        var firstStepMax = -Double.infinity
        var lastStepMax = -Double.infinity

        init(_ p: Problem) {
            let total = p.options.reduce(0) { $0 + $1.count }
            option.reserveCapacity(total)
            cycles.reserveCapacity(total)
            lanes.reserveCapacity(total)
            bram.reserveCapacity(total)
            uram.reserveCapacity(total)
            start.reserveCapacity(p.options.count + 1)
            for opts in p.options {
                start.append(option.count)
                var best = Double.infinity
                func visit(_ j: Int) {
                    guard opts[j].cycles < best else { return }
                    option.append(j)
                    cycles.append(opts[j].cycles)
                    lanes.append(opts[j].lanes)
                    bram.append(opts[j].bram18k)
                    uram.append(opts[j].uram)
                    best = opts[j].cycles
                }
                // The cost model's options come sorted by lanes (distinct): no sort needed.
                if (1..<opts.count).allSatisfy({ !cheaper(opts[$0], opts[$0 - 1]) }) {
                    for j in opts.indices { visit(j) }
                } else {
                    for j in opts.indices.sorted(by: { cheaper(opts[$0], opts[$1]) || (!cheaper(opts[$1], opts[$0]) && $0 < $1) }) { visit(j) }
                }
                firstStepMax = max(firstStepMax, cycles[start[start.count - 1]])
                lastStepMax = max(lastStepMax, best)
            }
            start.append(option.count)
        }

        /// The index of task `k`'s first step with cycles <= t, or its end.
        @inline(__always)
        func step(_ k: Int, _ t: Double) -> Int {
            var lo = start[k], hi = start[k + 1]
            while lo < hi {
                let mid = (lo + hi) / 2
                if cycles[mid] <= t { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }

        enum Outcome { case fits(Double), lanesShort(Int), memoryShort }

        /// The canonical choice at interval t, and whether it fits: `fits` with the slowest
        /// chosen cycles; `lanesShort` with the fewest lanes t needs (proof it is unreachable).
        func probe(_ p: Problem, _ t: Double, _ choice: inout [Int]) -> Outcome {
            var totalLanes = 0, totalBram = 0.0, totalUram = 0.0, used = -Double.infinity
            for k in 0..<(start.count - 1) {
                let i = step(k, t)
                guard i < start[k + 1] else { return .lanesShort(Int.max) }
                choice[k] = option[i]
                totalLanes += lanes[i]
                totalBram += bram[i]
                totalUram += uram[i]
                used = max(used, cycles[i])
            }
            if totalLanes > p.laneBudget { return .lanesShort(totalLanes) }
            if totalBram > p.bramBudget + 1e-9 || totalUram > p.uramBudget + 1e-9 { return .memoryShort }
            return .fits(used)
        }

        /// The least step cycles above t over all tasks (the next candidate interval).
        func nextAbove(_ t: Double) -> Double {
            var next = Double.infinity
            for k in 0..<(start.count - 1) {
                let i = step(k, t)
                if i > start[k] { next = min(next, cycles[i - 1]) }
            }
            return next
        }
    }

    /// The bisection over every option's cycles with the three-way probe below: for budgets
    /// where memory binds (the staircase walk only knows lanes).
    static func generalBisection(_ p: Problem) -> ExactOutcome {
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
