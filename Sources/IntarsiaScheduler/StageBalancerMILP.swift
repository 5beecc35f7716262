import IntarsiaGLPK

/// The balancing problem as GLPK's multiple-choice 0-1 program: the solver for the
/// multi-resource problems the bisection cannot decide, and its cross-check.
extension StageBalancer {
    /// GLPK answered with values that break the program's own rows (a task with no option or
    /// several, a budget exceeded): refused rather than read.
    public struct InvalidAnswer: Error, CustomStringConvertible {
        public var description: String
    }

    /// Options no worse than another of the same task in every figure and better in one are
    /// dropped; the rest sorted by lanes. Returns indices into `options`.
    public static func undominated(_ options: [Option]) -> [Int] {
        let order = options.indices.sorted { (options[$0].lanes, options[$0].cycles, $0) < (options[$1].lanes, options[$1].cycles, $1) }
        return order.filter { i in
            let o = options[i]
            return !options.contains { q in
                q.lanes <= o.lanes && q.bram18k <= o.bram18k && q.uram <= o.uram && q.cycles <= o.cycles
                    && (q.lanes < o.lanes || q.bram18k < o.bram18k || q.uram < o.uram || q.cycles < o.cycles)
            }
        }
    }

    /// Drops dominated options and sorts by lanes.
    public static func prune(_ options: [Option]) -> [Option] { undominated(options).map { options[$0] } }

    public static func formulate(_ p: Problem) -> (LinearModel, [[Int]], Int) {
        var m = LinearModel(sense: .minimize)
        let z = m.addVariable("ii", lower: 0, cost: 1)
        var vars: [[Int]] = []
        for (t, opts) in p.options.enumerated() {
            let xs = opts.indices.map { m.addVariable("x_\(t)_\($0)", kind: .binary) }
            vars.append(xs)
            m.addConstraint("one_\(t)", xs.map { ($0, 1.0) }, lower: 1, upper: 1)
            m.addConstraint("ii_\(t)", [(z, 1.0)] + zip(xs, opts).map { ($0, -$1.cycles) }, lower: 0)
        }
        let all = zip(vars, p.options).flatMap { zip($0, $1) }
        m.addConstraint("lanes", all.map { ($0.0, Double($0.1.lanes)) }, upper: Double(p.laneBudget))
        if p.bramBudget.isFinite { m.addConstraint("bram18k", all.map { ($0.0, $0.1.bram18k) }, upper: p.bramBudget) }
        if p.uramBudget.isFinite { m.addConstraint("uram", all.map { ($0.0, $0.1.uram) }, upper: p.uramBudget) }
        return (m, vars, z)
    }

    /// GLPK on the pruned program, with the cheapest-lanes split as incumbent when it fits. The
    /// answer is checked against the program's rows; its status, gap and bound are GLPK's.
    public static func milp(_ problem: Problem, timeLimitSeconds: Double = 10, lpPath: String? = nil) throws -> Solution {
        let kept = problem.options.map(undominated)
        var p = problem
        p.options = zip(problem.options, kept).map { opts, ks in ks.map { opts[$0] } }
        let (m, vars, _) = formulate(p)
        var o = SolveOptions()
        o.timeLimitSeconds = timeLimitSeconds
        o.lpPath = lpPath
        // Incumbent: every task at its fewest lanes (index 0 once sorted by lanes), when that fits.
        let cheapest = p.options.map { _ in 0 }
        if !p.options.contains(where: \.isEmpty) && fits(p, cheapest) {
            var x = [Double](repeating: 0, count: m.variables.count)
            x[0] = zip(p.options, cheapest).map { $0[$1].cycles }.max() ?? 0
            for (t, c) in cheapest.enumerated() { x[vars[t][c]] = 1 }
            o.incumbent = x
        }
        let r = try GLPK.solve(m, options: o)
        guard r.hasSolution, let objective = r.objective else {
            if r.status == .noSolution {
                throw Infeasible(description: "GLPK found no split within \(timeLimitSeconds) s (\(r.note))", proven: false)
            }
            let least = p.options.reduce(0) { $0 + ($1.map(\.lanes).min() ?? 0) }
            throw Infeasible(description: "no split fits: the tasks need at least \(least) lanes (budget \(p.laneBudget)) or more memory than the budget (GLPK: \(r.status.rawValue))")
        }
        var choice: [Int] = []
        for (t, xs) in vars.enumerated() {
            let picked = xs.indices.filter { r.values[xs[$0]] > 0.5 }
            guard picked.count == 1 else {
                throw InvalidAnswer(description: "GLPK's \(r.status.rawValue) answer picks \(picked.count) options for task \(p.tasks[t]) (exactly one expected)")
            }
            choice.append(picked[0])
        }
        guard m.isFeasible(r.values, tolerance: 1e-6 * max(1, objective)) && fits(p, choice) else {
            throw InvalidAnswer(description: "GLPK's \(r.status.rawValue) answer breaks the balancing program's rows")
        }
        let interval = zip(p.options, choice).map { $0[$1].cycles }.max() ?? 0
        return Solution(choice: zip(kept, choice).map { $0[$1] }, lanes: zip(p.options, choice).map { $0[$1].lanes },
                        initiationInterval: interval, status: r.status, method: .milp, gap: r.gap, bound: r.bound,
                        seconds: r.seconds, note: r.note)
    }
}
