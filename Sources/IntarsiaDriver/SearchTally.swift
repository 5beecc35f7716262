import IntarsiaFPGA
import IntarsiaSearch
import IntarsiaSpec

/// What `intarsia search` keeps from the rows as they stream past: the top-N table, the
/// constraints designs break, and every solver that did not give a proven answer (balanced lane
/// splits not proven optimal or standing in for a failed solve, GLPK schedules that failed), so
/// that each is reported on stderr once, never swallowed.
struct SearchTally {
    let spec: DesignSpec
    private(set) var top: [EvaluatedDesign] = []
    private var violationCounts = [String: Int]()
    /// `allocation: balanced` designs whose split is not a proven optimum, by state: count, first.
    private var splitNotes: [LaneSplitStatus.State: (count: Int, first: String)] = [:]
    /// Designs whose plugged-in scheduler (GLPK) failed, by the failure's text: count, first id.
    private var scheduleFallbacks: [String: (count: Int, first: Int)] = [:]
    private var closest: EvaluatedDesign?

    init(spec: DesignSpec) { self.spec = spec }

    mutating func take(_ batch: [EvaluatedDesign]) {
        for d in batch {
            noteSolver(d)
            if d.evaluation.feasible { rank(d) } else { noteViolations(d) }
        }
    }

    private mutating func noteSolver(_ d: EvaluatedDesign) {
        if let split = d.evaluation.laneSplit {
            guard split.state != .optimal else { return }
            if splitNotes[split.state] == nil { splitNotes[split.state] = (0, "design \(d.id): \(split)") }
            splitNotes[split.state]!.count += 1
        } else if case .fallback(let reason) = d.evaluation.solverStatus {
            scheduleFallbacks[reason, default: (0, d.id)].count += 1
        }
    }

    private mutating func rank(_ d: EvaluatedDesign) {
        let first = spec.objectives[0]
        guard spec.top > 0, top.count < spec.top || first.cost(d.evaluation) < first.cost(top.last!.evaluation) else { return }
        let at = top.firstIndex { first.cost(d.evaluation) < first.cost($0.evaluation) } ?? top.count
        top.insert(d, at: at)
        if top.count > spec.top { top.removeLast() }
    }

    private mutating func noteViolations(_ d: EvaluatedDesign) {
        for (flag, name) in Violations.named where d.evaluation.violations.contains(flag) { violationCounts[name, default: 0] += 1 }
        if closest == nil || d.evaluation.violations.rawValue.nonzeroBitCount < closest!.evaluation.violations.rawValue.nonzeroBitCount {
            closest = d
        }
    }

    /// One stderr line per kind of unproven lane split and per distinct scheduler failure.
    var notes: [String] {
        var out: [String] = []
        for state in [LaneSplitStatus.State.feasible, .fallback, .infeasible] {
            guard let n = splitNotes[state] else { continue }
            let what = state == .feasible ? "lane splits not proven optimal" : state == .fallback ? "lane splits the solver failed on (proportional split used)"
                : "balanced designs where no split fits the budgets (proportional split used)"
            out.append("note: \(n.count) \(what); first: \(n.first)\n")
        }
        for (reason, n) in scheduleFallbacks.sorted(by: { $0.value.first < $1.value.first }) {
            let what = reason.hasPrefix(SolverStatus.stageSplitFailurePrefix) ? "whose stage splits the balancer failed on"
                : "whose \(spec.search.scheduler.rawValue) schedule failed (the shortest path over the schedule graph used)"
            out.append("note: \(n.count) design\(n.count == 1 ? "" : "s") \(what); solver_status says fallback: \(reason); first: design \(n.first)\n")
        }
        return out
    }

    /// The error when no design met the constraints: the binding constraint and the closest design.
    func noFeasibleDesign(_ summary: SearchSummary) -> UserError {
        var msg = "\(spec.file): constraints: no design of the \(summary.evaluated) evaluated"
        if summary.pruned > 0 { msg += " (and \(summary.pruned) pruned as provably infeasible)" }
        msg += " meets the constraints"
        if let (name, n) = violationCounts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
            msg += "; the binding one is \(name) (broken by \(n) designs)"
        }
        if let c = closest { msg += "; closest design: \(c.point.template.rawValue) lanes \(c.point.lanes): \(c.evaluation.violationText(platform: spec.platform, constraints: spec.constraints))" }
        else if summary.evaluated == 0 { msg += "; every design was pruned: its DSP or latency lower bound already breaks a constraint" }
        msg += ". Results so far are in \(spec.outputPath)"
        return UserError(msg)
    }
}
