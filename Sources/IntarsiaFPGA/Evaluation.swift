import IntarsiaCore

/// Limits a design must meet. Resource limits are fractions of the whole part (shell included).
public struct Constraints: Hashable, Sendable {
    public var dspFraction: Double = 1
    public var bramFraction: Double = 1
    public var uramFraction: Double = 1
    public var lutFraction: Double = 1
    public var ffFraction: Double = 1
    public var maxLatencyMs: Double?
    public var maxPowerW: Double?
    public var maxEnergyMJ: Double?
    /// Most bytes read from and written to off-chip memory per inference.
    public var maxOffChipBytes: Double?
    public init() {}
}

/// Which constraints a design breaks.
public struct Violations: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let dsp = Violations(rawValue: 1 << 0)
    public static let bram = Violations(rawValue: 1 << 1)
    public static let uram = Violations(rawValue: 1 << 2)
    public static let lut = Violations(rawValue: 1 << 3)
    public static let ff = Violations(rawValue: 1 << 4)
    public static let latency = Violations(rawValue: 1 << 5)
    public static let power = Violations(rawValue: 1 << 6)
    public static let energy = Violations(rawValue: 1 << 7)
    /// A stage of a given schedule runs more MAC tasks at once than the design has units.
    public static let schedule = Violations(rawValue: 1 << 8)
    public static let offChip = Violations(rawValue: 1 << 9)

    public static let named: [(Violations, String)] = [
        (.dsp, "dsp"), (.bram, "bram18k"), (.uram, "uram"), (.lut, "lut"), (.ff, "ff"),
        (.latency, "latency_ms"), (.power, "power_w"), (.energy, "energy_mj"), (.offChip, "offchip_bytes"), (.schedule, "schedule"),
    ]
}

/// Which schedules a design's schedule was chosen among.
public enum ScheduleSpace: String, Hashable, Sendable, Codable {
    /// Dataflow and sequential: the template fixes the schedule.
    case template
    /// Reconfigurable: every schedule of the task graph (stages any predecessor-closed steps).
    case general
    /// Reconfigurable: stages restricted to contiguous segments of the topological order (the
    /// graph of every schedule would have been too large); the optimum may be missed.
    case contiguous
    /// Reconfigurable: the spec's hand-written schedule.
    case given
}

/// How the solver that chose a design's schedule or lane split ended.
public enum SolverStatus: Hashable, Sendable {
    /// Proven optimal over its space (a closed form, the shortest path, or a solver's proof).
    case optimal
    /// A solver stopped at a limit with a solution `gap` (relative, 0.05 = 5%) above its bound
    /// (infinite: no bound known); `note` says which solve stopped, when not the schedule's own
    /// (e.g. stage lane splits not proven optimal under a proven shortest path).
    case feasible(gap: Double, note: String = "")
    /// The solver failed and a heuristic stood in (e.g. the proportional split for a balanced
    /// allocation, the shortest path for a GLPK schedule); `reason` is the solver's error (time
    /// limit, infeasible, numerical trouble...), so no failure is lost.
    case fallback(reason: String)
    /// Nothing was solved: the schedule is the spec's.
    case given

    public var text: String {
        switch self {
        case .optimal: return "optimal"
        case .feasible(let gap, let note):
            return (gap.isFinite ? "feasible (gap \(fmt(gap * 100))%" : "feasible (no bound") + (note.isEmpty ? ")" : ": \(note))")
        case .fallback(let reason): return "fallback: \(reason)"
        case .given: return "given"
        }
    }
}

/// An evaluated design: the figures every report is made from.
public struct Evaluation: Hashable, Sendable {
    public var latencyCycles: Double = 0
    public var latencyMs: Double = 0
    /// Inferences per second when runs go back to back.
    public var throughputPerSecond: Double = 0
    public var macs: Double = 0
    public var offChipBytes: Double = 0
    public var dsp: Int = 0
    public var bram18k: Int = 0
    public var uram: Int = 0
    public var lut: Int = 0
    public var ff: Int = 0
    public var powerW: Double = 0
    public var energyMJ: Double = 0
    /// MACs over (cycles × lanes): how busy the MAC array is.
    public var utilization: Double = 0
    public var stages: Int = 0
    public var scheduleSpace: ScheduleSpace = .template
    public var violations: Violations = []
    /// How the solver ended and the lane split, when not `optimal` with no split (nearly every
    /// design): held by one reference, so that an evaluation copies as plain numbers and one
    /// pointer (the two fields in line, their strings and enum payloads, cost about 350
    /// instructions of copies and destroys per sequential point, callgrind). Nil exactly when `solverStatus`
    /// is `optimal` and `laneSplit` nil, so equal evaluations compare and hash equal.
    private var statuses: Statuses?

    public var solverStatus: SolverStatus {
        get { statuses?.solver ?? .optimal }
        set { statuses = Statuses.make(solver: newValue, laneSplit: laneSplit) }
    }
    /// `allocation: balanced` only: how the lanes were split (a proven optimum, a split not
    /// proven optimal, or the proportional split standing in).
    public var laneSplit: LaneSplitStatus? {
        get { statuses?.laneSplit }
        set { statuses = Statuses.make(solver: solverStatus, laneSplit: newValue) }
    }

    /// Sets both statuses at once (one reference made, not two).
    mutating func set(solverStatus: SolverStatus, laneSplit: LaneSplitStatus?) {
        statuses = Statuses.make(solver: solverStatus, laneSplit: laneSplit)
    }

    /// Takes the solver status and lane split of `other` (one reference, no new one made).
    mutating func takeStatuses(of other: Evaluation) {
        statuses = other.statuses
    }

    /// `solverStatus` and `laneSplit` together, never changed once made (a setter makes another).
    private final class Statuses: Hashable, Sendable {
        let solver: SolverStatus
        let laneSplit: LaneSplitStatus?

        private init(solver: SolverStatus, laneSplit: LaneSplitStatus?) {
            self.solver = solver
            self.laneSplit = laneSplit
        }

        static func make(solver: SolverStatus, laneSplit: LaneSplitStatus?) -> Statuses? {
            solver == .optimal && laneSplit == nil ? nil : Statuses(solver: solver, laneSplit: laneSplit)
        }

        static func == (a: Statuses, b: Statuses) -> Bool { a.solver == b.solver && a.laneSplit == b.laneSplit }
        func hash(into h: inout Hasher) {
            h.combine(solver)
            h.combine(laneSplit)
        }
    }

    public init() {}

    public var feasible: Bool { violations.isEmpty }

    /// The broken constraints, named with the value and its limit.
    public func violationText(platform: FPGAPlatform, constraints k: Constraints) -> String {
        var parts: [String] = []
        func pct(_ f: Double) -> String { "\(Int((f * 100).rounded()))%" }
        if violations.contains(.dsp) { parts.append("dsp \(dsp) > \(Int(k.dspFraction * Double(platform.dsp))) (\(pct(k.dspFraction)) of \(platform.dsp))") }
        if violations.contains(.bram) { parts.append("bram18k \(bram18k) > \(Int(k.bramFraction * Double(platform.bram18k))) (\(pct(k.bramFraction)) of \(platform.bram18k))") }
        if violations.contains(.uram) { parts.append("uram \(uram) > \(Int(k.uramFraction * Double(platform.uram))) (\(pct(k.uramFraction)) of \(platform.uram))") }
        if violations.contains(.lut) { parts.append("lut \(lut) > \(Int(k.lutFraction * Double(platform.lut))) (\(pct(k.lutFraction)) of \(platform.lut))") }
        if violations.contains(.ff) { parts.append("ff \(ff) > \(Int(k.ffFraction * Double(platform.ff))) (\(pct(k.ffFraction)) of \(platform.ff))") }
        if violations.contains(.latency), let l = k.maxLatencyMs { parts.append("latency_ms \(fmt(latencyMs)) > \(fmt(l))") }
        if violations.contains(.power), let l = k.maxPowerW { parts.append("power_w \(fmt(powerW)) > \(fmt(l))") }
        if violations.contains(.energy), let l = k.maxEnergyMJ { parts.append("energy_mj \(fmt(energyMJ)) > \(fmt(l))") }
        if violations.contains(.offChip), let l = k.maxOffChipBytes { parts.append("offchip_bytes \(Int64(offChipBytes.rounded())) > \(Int64(l))") }
        if violations.contains(.schedule) { parts.append("schedule: a stage runs more MAC tasks than compute units") }
        return parts.joined(separator: "; ")
    }
}

func fmt(_ x: Double) -> String {
    if x == 0 { return "0" }
    if abs(x) >= 1e6 || abs(x) < 1e-3 { return String(format: "%.4g", x) }
    return String(format: "%.4f", x).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
}

import Foundation
