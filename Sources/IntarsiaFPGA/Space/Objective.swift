import IntarsiaExplore

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

/// An evaluation scored on a list of objectives, as the exploration kernel sees it. The
/// violation is the number of violated constraints (FPGA evaluations record which limits a
/// design breaks, not by how much).
public struct ScoredEvaluation: Scored, Sendable {
    public var evaluation: Evaluation
    public var objectives: [Objective]
    @inline(__always)
    public init(_ evaluation: Evaluation, _ objectives: [Objective]) {
        self.evaluation = evaluation
        self.objectives = objectives
    }
    public var feasible: Bool { evaluation.feasible }
    public var violation: Double { Double(evaluation.violations.rawValue.nonzeroBitCount) }
    public var objectiveCount: Int { objectives.count }
    @inline(__always)
    public func objective(_ k: Int) -> Double { objectives[k].cost(evaluation) }
}

/// A design with its evaluation, scored on a list of objectives.
public struct ScoredDesign: Scored, Sendable {
    public var design: EvaluatedDesign
    public var objectives: [Objective]
    public var feasible: Bool { design.evaluation.feasible }
    public var violation: Double { ScoredEvaluation(design.evaluation, objectives).violation }
    public var objectiveCount: Int { objectives.count }
    @inline(__always)
    public func objective(_ k: Int) -> Double { objectives[k].cost(design.evaluation) }
}

/// The non-dominated feasible designs seen so far (the kernel's `ParetoArchive`). Ties (equal
/// in every objective) keep the first one seen, so the front is deterministic.
public struct DesignFront: Sendable {
    public let objectives: [Objective]
    var archive = ParetoArchive<ScoredDesign>()

    public init(objectives: [Objective]) { self.objectives = objectives }

    /// Offers a design; returns whether it joined the front.
    @discardableResult
    public mutating func offer(_ d: EvaluatedDesign) -> Bool { archive.offer(ScoredDesign(design: d, objectives: objectives)) }

    public var members: [EvaluatedDesign] { archive.members.map(\.design) }

    public var count: Int { archive.members.count }

    public var ids: Set<Int> { Set(archive.members.map(\.design.id)) }
}
