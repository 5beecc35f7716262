import Foundation
import IntarsiaRows
import IntarsiaReports
import IntarsiaFPGA

/// `intarsia compare`: the best design per template of result CSVs side by side, with ratios
/// against a baseline, optionally written as CSV and plotted on one SVG chart.
public enum CompareJob {
    public struct Options {
        public var files: [String]
        public var metric = "latency_cycles"
        public var baseline = 0
        public var lanes: Int?
        public var output: String?
        public var plot: String?
        public var x = "latency_ms"
        public var y = "dsp"
        /// The FPGA templates the CSVs' `template` column may name.
        public var templates = FPGATemplates.builtin
        public init(files: [String]) { self.files = files }
    }

    /// Writes what was asked and returns the comparison as a text table.
    public static func run(_ o: Options, stderr: (String) -> Void) throws -> String {
        guard !o.files.isEmpty else { throw UserError("give at least one result CSV") }
        if let output = o.output { try OutputPath.check(output, option: "-o") }
        if let plot = o.plot { try OutputPath.check(plot, option: "--plot") }
        let locks = try [o.output, o.plot].compactMap { $0 }.map(OutputLock.init(path:))
        defer { locks.forEach { $0.release() } }
        let tables = try o.files.map { try DesignTable.read($0, templates: o.templates) }
        if let plot = o.plot {
            try writeAtomically(try svg(tables, x: o.x, y: o.y), to: plot)
            stderr("wrote \(plot)\n")
        }
        let rows = try Comparison.rows(tables: tables, metric: o.metric, baseline: o.baseline, lanes: o.lanes)
        if let output = o.output {
            try writeAtomically(([Comparison.header] + rows).map(CSV.line).joined(separator: "\n") + "\n", to: output)
            stderr("wrote \(output)\n")
        }
        return TextTable.render(header: Comparison.header, rows: rows)
    }

    /// Every file's designs on one Pareto chart, file k in the k-th series colour.
    static func svg(_ tables: [DesignTable], x: String, y: String) throws -> String {
        for t in tables {
            for c in [x, y] where t.column(c) == nil { throw UserError("\(t.file): no column '\(c)'; accepted: \(t.header.joined(separator: ", "))") }
        }
        let series = tables.enumerated().map { k, t in
            SVGPlot.Series(label: URL(fileURLWithPath: t.file).lastPathComponent, color: PlotPalette.color(k, of: PlotPalette.series),
                           points: t.rows.map { r in (x: t.number(r, x), y: t.number(r, y), feasible: t.value(r, "feasible") == "true",
                                                      front: t.value(r, "pareto") == "true", id: Int(t.value(r, "id")) ?? -1) })
        }
        return SVGPlot.pareto(title: "\(SVGPlot.axisLabel(y)) against \(SVGPlot.axisLabel(x))", xColumn: x, yColumn: y, series: series, chosen: nil)
    }
}

/// `intarsia summary`: the best dataflow, sequential and reconfigurable design per kernel at each
/// matched lane budget, written as CSV; returns the text table.
public enum SummaryJob {
    public static func run(files: [String], output: String, stderr: (String) -> Void) throws -> String {
        guard !files.isEmpty else { throw UserError("give at least one result CSV, one per kernel") }
        try OutputPath.check(output, option: "-o")
        let lock = try OutputLock(path: output)
        defer { lock.release() }
        let rows = HDVSummary.rows(tables: try files.map { try DesignTable.read($0) })
        guard !rows.isEmpty else { throw UserError("no lane budget at which all three templates have a feasible design in the given files") }
        try writeAtomically(([HDVSummary.header] + rows).map(CSV.line).joined(separator: "\n") + "\n", to: output)
        stderr("wrote \(output)\n")
        return TextTable.render(header: HDVSummary.header, rows: rows)
    }
}

/// `intarsia validate`: the model's latency of each published design against its measurement.
public enum ValidateJob {
    public struct Report {
        public var text: String
        /// Designs with a tolerance that fell outside it.
        public var outsideTolerance: Int
        /// Throws (exit code 1) when a design fell outside its tolerance.
        public func check() throws {
            if outsideTolerance > 0 { throw UserError("\(outsideTolerance) design(s) outside tolerance", exitCode: 1) }
        }
    }

    public static func run() throws -> Report {
        var rows: [[String]] = []
        var failed = 0
        for d in PublishedDesign.all {
            let c = try d.check()
            if !c.withinTolerance { failed += 1 }
            rows.append([d.name, String(Int64(d.measuredCycles)), String(Int64(c.modelCycles.rounded())),
                         String(format: "%+.1f%%", c.relativeError * 100), d.tolerance.map { String(format: "%.0f%%", $0 * 100) } ?? "-",
                         d.tolerance == nil ? "reported" : (c.withinTolerance ? "ok" : "OUT"), String(d.measuredDSP), String(c.modelDSP)])
        }
        let table = TextTable.render(header: ["design", "measured_cycles", "model_cycles", "error", "tolerance", "status", "measured_dsp", "model_dsp"], rows: rows)
        return Report(text: table + "\nreported: the model lacks the design's dominant mechanism; docs/VALIDATION.md says which.\n", outsideTolerance: failed)
    }
}
