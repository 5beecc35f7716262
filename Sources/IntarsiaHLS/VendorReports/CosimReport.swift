import Foundation
import IntarsiaCore

/// The figures read from a Vitis HLS C/RTL co-simulation report
/// (`<project>/<solution>/sim/report/<top>_cosim.rpt`): a text table with one row per RTL
/// language (`VHDL`, `Verilog`), its status, latency min/avg/max and interval min/avg/max in
/// cycles (later versions add a total execution time column, not read). The row of the language
/// that ran (status `Pass`) is taken; `NA` cells of the interval (one transaction) give nil.
public struct CosimReport: Sendable, Equatable {
    /// The RTL language that was simulated.
    public var rtl: String
    /// Average latency over the simulated transactions, cycles.
    public var latencyAvgCycles: Double
    /// Average interval between transactions, cycles; nil when the report says NA.
    public var intervalAvgCycles: Double?

    public init(rtl: String, latencyAvgCycles: Double, intervalAvgCycles: Double?) {
        self.rtl = rtl
        self.latencyAvgCycles = latencyAvgCycles
        self.intervalAvgCycles = intervalAvgCycles
    }

    public static func read(path: String) throws -> CosimReport {
        let data: Data
        do throws(InputFile.Unreadable) { data = try InputFile.read(path) } catch {
            throw CSynthReport.ReadError(file: path, reason: error.reason)
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// A cell's cycles: a finite number, not negative (Double alone took "nan", "inf" and "-5").
    static func cycles(_ cell: String) -> Double? {
        guard let v = Double(cell), v.isFinite, v >= 0 else { return nil }
        return v
    }

    public static func parse(_ text: String, file: String) throws -> CosimReport {
        var statuses: [String] = []
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("|") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
            guard let rtl = cells.first, rtl == "VHDL" || rtl == "Verilog" else { continue }
            guard cells.count >= 8 else {
                throw CSynthReport.ReadError(file: file, reason: "the \(rtl) row has \(cells.count) cells; RTL, status, latency min/avg/max and interval min/avg/max were expected")
            }
            statuses.append("\(rtl) \(cells[1])")
            guard cells[1] == "Pass" else { continue }
            guard let latency = Self.cycles(cells[3]) else {
                throw CSynthReport.ReadError(file: file, reason: "the \(rtl) row's average latency is '\(cells[3])'; cycles were expected")
            }
            if cells[6] == "NA" { return CosimReport(rtl: rtl, latencyAvgCycles: latency, intervalAvgCycles: nil) }
            guard let interval = Self.cycles(cells[6]) else {
                throw CSynthReport.ReadError(file: file, reason: "the \(rtl) row's average interval is '\(cells[6])'; cycles or NA were expected")
            }
            return CosimReport(rtl: rtl, latencyAvgCycles: latency, intervalAvgCycles: interval)
        }
        if statuses.isEmpty { throw CSynthReport.ReadError(file: file, reason: "no VHDL or Verilog row; not a co-simulation report") }
        throw CSynthReport.ReadError(file: file, reason: "no RTL passed co-simulation (\(statuses.joined(separator: ", ")))")
    }
}
