import IntarsiaFPGA
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
        switch s.bisect(laneBudget: p.laneBudget, bramBudget: p.bramBudget, uramBudget: p.uramBudget) {
        case .optimal(let steps, let interval): return .optimal(choice: steps.map { s.steps.option[$0] }, initiationInterval: interval)
        case .lanesShort(let lanes): return .infeasible(lanesShortText(lanes, budget: p.laneBudget))
        case .memoryShort: return generalBisection(p)
        }
    }

    static func lanesShortText(_ lanes: Int, budget: Int) -> String {
        "no split fits: the tasks need at least \(lanes) lanes (budget \(budget))"
    }

    /// Each task's options in the canonical order (fewest lanes, then BRAM, URAM, cycles), kept
    /// only where their cycles beat every cheaper option's: at interval T the canonical choice is
    /// the first step with cycles <= T (found by binary search, cycles fall along the steps).
    /// Staircase e is `steps[lo[e]..<hi[e]]`, taken by `count[e]` tasks with the same options;
    /// task k takes staircase `entry[k]`. The sums over tasks are of whole numbers (lanes, and
    /// buffer blocks rounded up) wherever a staircase is shared, so `count ×` adds them exactly.
    struct Staircases {
        var steps: LaneSteps
        var lo: [Int] = []
        var hi: [Int] = []
        var count: [Int] = []
        var entry: [Int] = []
        var firstStepMax = -Double.infinity
        var lastStepMax = -Double.infinity

        init(steps: LaneSteps, tasks: Int) {
            self.steps = steps
            lo.reserveCapacity(tasks)
            hi.reserveCapacity(tasks)
            count.reserveCapacity(tasks)
            entry.reserveCapacity(tasks)
        }

        /// Adds a task whose steps are `steps[from..<to]`, the last with `fastest` cycles.
        @inline(__always)
        mutating func addTask(from: Int, to: Int, fastest: Double) {
            entry.append(lo.count)
            lo.append(from)
            hi.append(to)
            count.append(1)
            firstStepMax = max(firstStepMax, from < to ? steps.steps[from].cycles : .infinity)
            lastStepMax = max(lastStepMax, fastest)
        }

        /// Adds a task taking staircase `e` (already added for another task).
        @inline(__always)
        mutating func addTask(sharing e: Int) {
            entry.append(e)
            count[e] += 1
        }

        init(_ p: Problem) {
            self.init(steps: LaneSteps(capacity: p.options.reduce(0) { $0 + $1.count }), tasks: p.options.count)
            for opts in p.options {
                let from = steps.count
                var best = Double.infinity
                func visit(_ j: Int) {
                    guard opts[j].cycles < best else { return }
                    steps.append(option: j, opts[j])
                    best = opts[j].cycles
                }
                // The cost model's options come sorted by lanes (distinct): no sort needed.
                if (1..<opts.count).allSatisfy({ !cheaper(opts[$0], opts[$0 - 1]) }) {
                    for j in opts.indices { visit(j) }
                } else {
                    for j in opts.indices.sorted(by: { cheaper(opts[$0], opts[$1]) || (!cheaper(opts[$1], opts[$0]) && $0 < $1) }) { visit(j) }
                }
                addTask(from: from, to: steps.count, fastest: best)
            }
        }

        /// Distinct staircases.
        var entries: Int { lo.count }

        /// The index of staircase `e`'s first step with cycles <= t, or its end.
        @inline(__always)
        func step(_ e: Int, _ t: Double, _ s: UnsafeBufferPointer<LaneOption>) -> Int {
            var lo = self.lo[e], hi = self.hi[e]
            while lo < hi {
                let mid = (lo + hi) / 2
                if s[mid].cycles <= t { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }

        enum Outcome { case fits(Double), lanesShort(Int), memoryShort }

        /// The canonical choice at interval t (a step index per staircase), and whether it fits:
        /// `fits` with the slowest chosen cycles; `lanesShort` with the fewest lanes t needs
        /// (proof it is unreachable).
        func probe(_ laneBudget: Int, _ bramBudget: Double, _ uramBudget: Double, _ t: Double, _ choice: inout [Int]) -> Outcome {
            steps.steps.withUnsafeBufferPointer { s in
                var totalLanes = 0, totalBram = 0.0, totalUram = 0.0, used = -Double.infinity
                for e in 0..<entries {
                    let i = step(e, t, s)
                    guard i < hi[e] else { return .lanesShort(Int.max) }
                    choice[e] = i
                    let o = s[i], n = count[e]
                    if n == 1 {
                        totalLanes += o.lanes
                        totalBram += o.bram18k
                        totalUram += o.uram
                    } else {
                        totalLanes += n * o.lanes
                        totalBram += Double(n) * o.bram18k
                        totalUram += Double(n) * o.uram
                    }
                    used = max(used, o.cycles)
                }
                if totalLanes > laneBudget { return .lanesShort(totalLanes) }
                if totalBram > bramBudget + 1e-9 || totalUram > uramBudget + 1e-9 { return .memoryShort }
                return .fits(used)
            }
        }

        /// The least step cycles above t over all tasks (the next candidate interval).
        func nextAbove(_ t: Double) -> Double {
            steps.steps.withUnsafeBufferPointer { s in
                var next = Double.infinity
                for e in 0..<entries {
                    let i = step(e, t, s)
                    if i > lo[e] { next = min(next, s[i - 1].cycles) }
                }
                return next
            }
        }

        enum Bisection { case optimal(steps: [Int], interval: Double), lanesShort(Int), memoryShort }

        /// The least interval by bisection over the steps' cycles (every task has a step): the
        /// chosen step per task, or why none fits (`memoryShort`: the walk cannot decide it).
        func bisect(laneBudget: Int, bramBudget: Double, uramBudget: Double) -> Bisection {
            var choice = [Int](repeating: 0, count: entries)
            // At the slowest first step every task takes its overall cheapest option.
            var upper = firstStepMax
            switch probe(laneBudget, bramBudget, uramBudget, upper, &choice) {
            case .lanesShort(let lanes): return .lanesShort(lanes)
            case .memoryShort: return .memoryShort
            case .fits(let used): upper = used
            }
            var lower = lastStepMax
            while lower < upper {
                var mid = lower + (upper - lower) / 2
                if !(mid < upper) { mid = lower }
                switch probe(laneBudget, bramBudget, uramBudget, mid, &choice) {
                case .fits(let used): upper = used
                case .lanesShort: lower = min(nextAbove(mid), upper)
                case .memoryShort: return .memoryShort
                }
            }
            _ = probe(laneBudget, bramBudget, uramBudget, upper, &choice)
            return .optimal(steps: entry.map { choice[$0] }, interval: upper)
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
        if lanes > p.laneBudget { return .infeasible(lanesShortText(lanes, budget: p.laneBudget)) }
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
