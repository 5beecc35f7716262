import Foundation
import IntarsiaRows

/// One measured design of a measurements CSV (docs/CSV.md, "Measurements"): which spec and knobs
/// describe it, and what was measured on the board.
public struct MeasuredDesign: Sendable, Equatable {
    public var design: String
    /// The design spec's path as written in the file, and resolved against the file's folder.
    public var spec: String
    public var specPath: String
    /// `--set`-style `knob=value` pairs (`template=` included).
    public var knobs: [String]
    public var measuredCycles: Double
    public var measuredDSP: Double?
    public var measuredBram18k: Double?
    public var measuredLUT: Double?
    public var measuredFF: Double?
    public var measuredPowerW: Double?
    public var source: String
    /// The file and line the row came from (for errors).
    public var origin: String

    public init(design: String, spec: String, specPath: String, knobs: [String], measuredCycles: Double, measuredPowerW: Double? = nil,
                source: String = "", origin: String = "") {
        self.design = design
        self.spec = spec
        self.specPath = specPath
        self.knobs = knobs
        self.measuredCycles = measuredCycles
        self.measuredPowerW = measuredPowerW
        self.source = source
        self.origin = origin
    }
}

/// The measurements CSV: required columns `design`, `spec`, `knobs`, `measured_cycles`; optional
/// `measured_dsp`, `measured_bram18k`, `measured_lut`, `measured_ff`, `measured_power_w`, `source`.
public enum MeasurementsFile {
    public static let required = ["design", "spec", "knobs", "measured_cycles"]
    public static let optional = ["measured_dsp", "measured_bram18k", "measured_lut", "measured_ff", "measured_power_w", "source"]
    public static let accepted = "a measurements CSV (docs/CSV.md, \"Measurements\"): design, spec, knobs (knob=value pairs separated by spaces), measured_cycles, and optionally \(optional.joined(separator: ", "))"

    public static func read(_ path: String) throws -> [MeasuredDesign] {
        let table = try RowTable.read(path, required: required, accepted: accepted)
        return try parse(table, folder: (path as NSString).deletingLastPathComponent)
    }

    public static func parse(_ table: RowTable, folder: String) throws -> [MeasuredDesign] {
        for c in table.header where !required.contains(c) && !optional.contains(c) {
            throw RowReadError("\(table.file): unknown column '\(c)'; accepted: \(accepted)")
        }
        var out: [MeasuredDesign] = []
        for (k, r) in table.records.enumerated() {
            let line = "\(table.file) line \(k + 2)"
            func number(_ column: String, required: Bool) throws -> Double? {
                let text = r[column].trimmingCharacters(in: .whitespaces)
                if text.isEmpty && !required { return nil }
                guard let v = Double(text), v.isFinite, v > 0 else {
                    throw RowReadError("\(line): \(column) '\(text)' is not a positive number; accepted: a positive number\(required ? "" : " or an empty field")")
                }
                return v
            }
            let design = r["design"].trimmingCharacters(in: .whitespaces)
            guard !design.isEmpty else { throw RowReadError("\(line): design is empty; accepted: a name for the measured design") }
            let spec = r["spec"].trimmingCharacters(in: .whitespaces)
            guard !spec.isEmpty else { throw RowReadError("\(line): spec is empty; accepted: the path of a design spec, relative to the CSV's folder") }
            let specPath = spec.hasPrefix("/") || folder.isEmpty ? spec : folder + "/" + spec
            let knobs = r["knobs"].split(separator: " ").map(String.init)
            if let bad = knobs.first(where: { !$0.contains("=") }) {
                throw RowReadError("\(line): knobs entry '\(bad)' is not knob=value; accepted: knob=value pairs separated by spaces, as --set takes them")
            }
            var m = MeasuredDesign(design: design, spec: spec, specPath: specPath, knobs: knobs, measuredCycles: try number("measured_cycles", required: true)!,
                                measuredPowerW: try number("measured_power_w", required: false), source: r["source"], origin: line)
            m.measuredDSP = try number("measured_dsp", required: false)
            m.measuredBram18k = try number("measured_bram18k", required: false)
            m.measuredLUT = try number("measured_lut", required: false)
            m.measuredFF = try number("measured_ff", required: false)
            out.append(m)
        }
        if out.isEmpty { throw RowReadError("\(table.file): no measured design; accepted: \(accepted)") }
        if let d = Dictionary(grouping: out, by: \.design).first(where: { $0.value.count > 1 }) {
            throw RowReadError("\(table.file): design '\(d.key)' appears \(d.value.count) times; accepted: one row per design, each named once")
        }
        return out
    }
}
