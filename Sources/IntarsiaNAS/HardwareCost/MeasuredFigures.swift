import Foundation
import IntarsiaCore

/// Per-architecture hardware figures that come from measurements rather than an analytical model:
/// a table of measured networks, an operator table summed over a network's operators, or a learned
/// predictor (docs/NAS.md, "Hardware-cost sources"). Figures are by architecture number of one
/// task's space; an architecture the source cannot price is a failed evaluation with its reason.
public struct MeasuredFigures: Sendable, Equatable {
    /// Which kind of source priced the figures: `table`, `operator_table`, `predictor` or `command`.
    public enum Kind: String, Sendable, CaseIterable {
        case table
        case operatorTable = "operator_table"
        case predictor
        case command
    }

    public var kind: Kind
    /// The file the figures come from (for reports and errors).
    public var source: String
    /// Latency in milliseconds per architecture (NaN where `failed` has the architecture).
    public var latencyMs: [Double]
    /// Energy in millijoules per architecture; nil when the source gives none (neither energy nor
    /// power). From power as power × latency when the source gives power only.
    public var energyMJ: [Double]?
    /// Memory in kilobytes per architecture (the network's footprint), nil when not given.
    public var memoryKB: [Double]?
    /// Architectures the source could not price, with the reason (a failed evaluation each).
    public var failed: [Int: String]
    /// The measurement that checks a predictor's best designs (`verify:`), nil without one.
    public var verification: MeasurementVerification?
    /// Architectures whose figures the verification measured (in place of the prediction).
    public var verifiedArchitectures: Set<Int> = []

    public init(kind: Kind, source: String, latencyMs: [Double], energyMJ: [Double]?, memoryKB: [Double]?, failed: [Int: String] = [:]) {
        self.kind = kind
        self.source = source
        self.latencyMs = latencyMs
        self.energyMJ = energyMJ
        self.memoryKB = memoryKB
        self.failed = failed
    }

    /// Which figures the source gives, e.g. "latency, energy, memory from table".
    public var provenance: String {
        let given = ["latency"] + (energyMJ == nil ? [] : ["energy"]) + (memoryKB == nil ? [] : ["memory"])
        return given.joined(separator: "+") + "=" + kind.rawValue
    }

    /// Cycles and picojoules as the co-exploration keeps them: cycles at `clockMHz`, picojoules
    /// from millijoules (0 without an energy figure); a failed architecture costs infinity, so it
    /// can never look better than a priced one.
    public func costs(clockMHz: Double) -> (cycles: [Double], energy: [Double]) {
        var cycles = latencyMs.map { $0 * clockMHz * 1e3 }
        var energy = energyMJ.map { $0.map { $0 * 1e9 } } ?? [Double](repeating: 0, count: latencyMs.count)
        for i in failed.keys { cycles[i] = .infinity; energy[i] = .infinity }
        return (cycles, energy)
    }
}

/// A figure column of a measurements CSV, recognised by its name and unit suffix
/// (case-insensitive): `latency_s`, `latency_ms`, `latency_us`; `energy_j`, `energy_mj`,
/// `energy_uj`; `power_w`, `power_mw`; `memory_kb`, `memory_kib`, `memory_mb`, `memory_bytes`, or
/// any column ending in `_kb` (NATS-Bench-MCU's `int8_kb`).
public enum MeasuredFigureColumn: String, Sendable, CaseIterable {
    case latency, energy, power, memory

    /// The figure a column holds and the factor to the internal unit (ms, mJ, W, kB); nil for a
    /// column that is none of them.
    public static func recognise(_ column: String) -> (figure: MeasuredFigureColumn, scale: Double)? {
        let c = column.lowercased()
        let units: [(String, MeasuredFigureColumn, Double)] = [
            ("latency_s", .latency, 1e3), ("latency_ms", .latency, 1), ("latency_us", .latency, 1e-3),
            ("energy_j", .energy, 1e3), ("energy_mj", .energy, 1), ("energy_uj", .energy, 1e-3),
            ("power_w", .power, 1), ("power_mw", .power, 1e-3),
            ("memory_kb", .memory, 1), ("memory_kib", .memory, 1.024), ("memory_mb", .memory, 1e3), ("memory_bytes", .memory, 1e-3),
        ]
        if let u = units.first(where: { $0.0 == c }) { return (u.1, u.2) }
        if c.hasSuffix("_kb") { return (.memory, 1) }
        return nil
    }

    /// What `recognise` accepts, for error messages.
    public static let accepted = "latency_s|latency_ms|latency_us, energy_j|energy_mj|energy_uj, power_w|power_mw, memory_kb|memory_kib|memory_mb|memory_bytes or NAME_kb"
}

/// A source's figures that cannot be read: the message names the file, what is wrong and what is
/// accepted.
public struct HardwareCostError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }

    /// A source file's text, read through `InputFile` so the message says what is wrong (no such
    /// file, a directory, permission denied, not UTF-8) and what is accepted.
    static func text(_ path: String, accepted: String) throws -> String {
        let data: Data
        do { data = try InputFile.read(path) } catch { throw HardwareCostError("\(error); accepted: \(accepted)") }
        guard let text = String(data: data, encoding: .utf8) else { throw HardwareCostError("\(path): not UTF-8 text; accepted: \(accepted)") }
        return text
    }
}
