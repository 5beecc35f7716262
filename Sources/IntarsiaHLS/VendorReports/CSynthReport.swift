import Foundation
import IntarsiaCore

/// The figures `intarsia hls-check` reads from one Vitis HLS synthesis report (`csynth.xml` of
/// the top or `<module>_csynth.xml` of a module, under `<project>/<solution>/syn/report/`).
/// Field names as Vitis HLS 2019.1 to 2022.2 write them (the public reports in
/// Tests/IntarsiaHLSCheckTests/Fixtures/README.md): latency and interval under
/// `PerformanceEstimates/SummaryOfOverallLatency`, resources under `AreaEstimates/Resources`
/// (`DSP`, or `DSP48E` before 2020).
public struct CSynthReport: Sendable, Equatable {
    /// `ReportVersion/Version`, e.g. "2022.2".
    public var version: String
    /// `UserAssignments/TopModelName`: the function synthesised as this report's top.
    public var topModelName: String
    public var part: String
    /// `Worst-caseLatency`, cycles; nil when Vitis writes "undef" (a loop bound it cannot see).
    public var worstLatencyCycles: Double?
    /// `Interval-max`, cycles (the initiation interval of the whole function); nil for "undef".
    public var intervalMaxCycles: Double?
    public var dsp: Double
    public var bram18k: Double
    /// 0 when the report has no `URAM` field (parts without UltraRAM before 2020).
    public var uram: Double
    public var lut: Double
    public var ff: Double

    /// Why a report cannot be read: names the file and the missing or wrong field.
    public struct ReadError: Error, CustomStringConvertible, Equatable {
        public var file: String
        public var reason: String
        public var description: String { "\(file): \(reason)" }
        public init(file: String, reason: String) {
            self.file = file
            self.reason = reason
        }
    }

    /// Reads the report at `path`.
    public static func read(path: String) throws -> CSynthReport {
        let data: Data
        do throws(InputFile.Unreadable) { data = try InputFile.read(path) } catch {
            let hint = error.reason == "no such file" ? " (Vitis HLS writes it with csynth_design; run the vendor flow first)" : ""
            throw ReadError(file: path, reason: error.reason + hint)
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses a report's text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> CSynthReport {
        let root: ReportXML
        do { root = try ReportXML.parse(text) } catch let e as ReportXML.Malformed { throw ReadError(file: file, reason: e.description) }
        guard root.name == "profile" else {
            throw ReadError(file: file, reason: "root element <\(root.name)>; a Vitis HLS csynth.xml has <profile>")
        }
        func field(_ path: [String]) throws -> String {
            guard let e = root.at(path) else { throw ReadError(file: file, reason: "missing field \(path.joined(separator: "/"))") }
            guard e.children.isEmpty, !e.text.isEmpty else {
                throw ReadError(file: file, reason: "field \(path.joined(separator: "/")) has no value")
            }
            return e.text
        }
        func cycles(_ path: [String]) throws -> Double? {
            let v = try field(path)
            if v == "undef" { return nil }
            guard let n = Double(v), n.isFinite, n >= 0, n == n.rounded() else {
                throw ReadError(file: file, reason: "field \(path.joined(separator: "/")) is '\(v)'; a whole number of cycles or 'undef' was expected")
            }
            return n
        }
        func count(_ name: String, alternative: String? = nil, optional: Bool = false) throws -> Double {
            let resources = ["AreaEstimates", "Resources"]
            var chosen = name
            if root.at(resources + [name]) == nil, let alt = alternative, root.at(resources + [alt]) != nil { chosen = alt }
            if optional && root.at(resources + [chosen]) == nil { return 0 }
            let v = try field(resources + [chosen])
            guard let n = Double(v), n.isFinite, n >= 0, n == n.rounded() else {
                throw ReadError(file: file, reason: "field \((resources + [chosen]).joined(separator: "/")) is '\(v)'; a count was expected")
            }
            return n
        }
        let latency = ["PerformanceEstimates", "SummaryOfOverallLatency"]
        return CSynthReport(
            version: try field(["ReportVersion", "Version"]), topModelName: try field(["UserAssignments", "TopModelName"]),
            part: try field(["UserAssignments", "Part"]),
            worstLatencyCycles: try cycles(latency + ["Worst-caseLatency"]), intervalMaxCycles: try cycles(latency + ["Interval-max"]),
            dsp: try count("DSP", alternative: "DSP48E"), bram18k: try count("BRAM_18K"), uram: try count("URAM", optional: true),
            lut: try count("LUT"), ff: try count("FF"))
    }
}
