import IntarsiaFPGA

/// A figure to minimise (throughput is maximised by minimising its negation).
public enum Objective: String, Hashable, Sendable, CaseIterable {
    case latencyMs = "latency_ms"
    case latencyCycles = "latency_cycles"
    case dsp
    case bram18k
    case uram
    case lut
    case ff
    case offChipBytes = "offchip_bytes"
    case powerW = "power_w"
    case energyMJ = "energy_mj"
    case throughput = "throughput_per_s"

    public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")

    /// The value to minimise.
    @inline(__always)
    public func cost(_ e: Evaluation) -> Double {
        switch self {
        case .latencyMs: return e.latencyMs
        case .latencyCycles: return e.latencyCycles
        case .dsp: return Double(e.dsp)
        case .bram18k: return Double(e.bram18k)
        case .uram: return Double(e.uram)
        case .lut: return Double(e.lut)
        case .ff: return Double(e.ff)
        case .offChipBytes: return e.offChipBytes
        case .powerW: return e.powerW
        case .energyMJ: return e.energyMJ
        case .throughput: return -e.throughputPerSecond
        }
    }
}

/// Pareto dominance over a list of objectives, feasible designs first.
public enum Dominance {
    /// Whether `a` dominates `b`: a feasible design dominates an infeasible one; among
    /// infeasible ones fewer violated constraints dominates; otherwise no worse in every
    /// objective and better in one.
    @inline(__always)
    public static func dominates(_ a: Evaluation, _ b: Evaluation, _ objectives: [Objective]) -> Bool {
        if a.feasible != b.feasible { return a.feasible }
        if !a.feasible {
            let va = a.violations.rawValue.nonzeroBitCount, vb = b.violations.rawValue.nonzeroBitCount
            if va != vb { return va < vb }
        }
        var better = false
        for o in objectives {
            let x = o.cost(a), y = o.cost(b)
            if x > y { return false }
            if x < y { better = true }
        }
        return better
    }
}

/// The non-dominated feasible designs seen so far. Ties (equal in every objective) keep the
/// first one seen, so the front is deterministic.
public struct ParetoArchive: Sendable {
    public let objectives: [Objective]
    public private(set) var members: [EvaluatedDesign] = []

    public init(objectives: [Objective]) { self.objectives = objectives }

    /// Offers a design; returns whether it joined the front.
    @discardableResult
    public mutating func offer(_ d: EvaluatedDesign) -> Bool {
        guard d.evaluation.feasible else { return false }
        for m in members {
            if Dominance.dominates(m.evaluation, d.evaluation, objectives) { return false }
            if objectives.allSatisfy({ $0.cost(m.evaluation) == $0.cost(d.evaluation) }) { return false }
        }
        members.removeAll { Dominance.dominates(d.evaluation, $0.evaluation, objectives) }
        members.append(d)
        return true
    }

    public var ids: Set<Int> { Set(members.map(\.id)) }
}
