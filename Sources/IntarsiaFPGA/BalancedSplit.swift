import Foundation

/// How the lanes of a balanced design (or of one pipelined stage) were split, so that every
/// output can say whether the split is a proven optimum: surfaced as `Evaluation.laneSplit`.
public struct LaneSplitStatus: Hashable, Sendable, CustomStringConvertible {
    public enum State: String, Hashable, Sendable, Codable {
        /// A proven min-max split (exact bisection, or GLPK proved its optimum).
        case optimal
        /// A split whose optimality is not proven (GLPK stopped at its time limit): see `gap`.
        case feasible
        /// Proven: no split meets the budgets; the proportional split stands in (see `detail`).
        case infeasible
        /// The solver gave no usable split (time limit before any, an error): the proportional
        /// split stands in (see `detail`).
        case fallback
    }
    public var state: State
    /// "exact bisection" or "GLPK"; empty for a fallback.
    public var method: String
    /// Relative gap between the split's initiation interval and the solver's bound.
    public var gap: Double?
    /// The solver's lower bound on the initiation interval, cycles.
    public var boundCycles: Double?
    /// Why a fallback, or the solver's note on a split not proven optimal.
    public var detail: String

    public init(state: State, method: String = "", gap: Double? = nil, boundCycles: Double? = nil, detail: String = "") {
        self.state = state
        self.method = method
        self.gap = gap
        self.boundCycles = boundCycles
        self.detail = detail
    }

    public static func fallback(_ why: String) -> LaneSplitStatus { LaneSplitStatus(state: .fallback, detail: why) }
    public static func infeasible(_ why: String) -> LaneSplitStatus { LaneSplitStatus(state: .infeasible, detail: why) }

    /// Whether the split (or the proof that none fits) is exact: optimal or proven infeasible.
    public var isProven: Bool { state == .optimal || state == .infeasible }

    /// "optimal (exact bisection)", "feasible, gap 1.20% (bound 123 cycles; GLPK: time limit
    /// reached)", "no balanced split fits, proportional instead: WHY", or "no balanced split
    /// (solver failed), proportional instead: WHY".
    public var description: String {
        switch state {
        case .optimal: return "optimal (\(method))"
        case .feasible:
            var s = "feasible, gap " + (gap.map { String(format: "%.2f%%", $0 * 100) } ?? "unknown")
            s += " (bound " + (boundCycles.map { String(Int64($0.rounded(.down))) + " cycles" } ?? "unknown")
            return s + "; \(method)" + (detail.isEmpty ? "" : ": \(detail)") + ")"
        case .infeasible: return "no balanced split fits, proportional instead: \(detail)"
        case .fallback: return "no balanced split (solver failed), proportional instead: \(detail)"
        }
    }
}

/// A balancer's answer: lanes per task index (nil: none found, the proportional split stands
/// in) and how they were found.
public struct BalancedSplit: Sendable {
    public var lanes: [Double]?
    public var status: LaneSplitStatus
    public init(lanes: [Double]?, status: LaneSplitStatus) {
        self.lanes = lanes
        self.status = status
    }
}
