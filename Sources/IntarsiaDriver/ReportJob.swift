import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaReports
import IntarsiaRows
import IntarsiaSearch
import IntarsiaSpec

/// `intarsia report`: next to a results CSV, an SVG Pareto plot of the spec's two main
/// objectives, an SVG latency breakdown of the chosen design, and one self-contained HTML page
/// with the spec, the best designs, both plots and the validation notes. `search` writes them
/// after every run; `report` regenerates them from the CSV and its run record (`CSV.run.json`,
/// which carries the spec's text, so the report works wherever the spec has gone).
public enum ReportJob {
    public struct RunRecord: Codable {
        public var specPath: String
        public var specText: String
        public var strategy: String
        public var spaceSize: Int
        public var evaluated: Int
        public var pruned: Int
        public var feasible: Int
        public var seconds: Double
        /// FNV-1a of the spec's text: which spec the CSV's rows belong to (absent in records
        /// written before it was added).
        public var specFingerprint: String?
        /// The search options the rows come from (strategy, budget, seed, shard, ...).
        public var options: String?
        /// The shard (i/N) the CSV holds, or nil for a whole run.
        public var shard: String?
        /// Rows in the CSV when it was written: a CSV with other rows is not this record's.
        public var rows: Int?
    }

    public struct Files {
        public var pareto: String
        public var breakdown: String?
        public var html: String
    }

    static func recordPath(_ csv: String) -> String { csv + ".run.json" }

    static func base(_ csv: String) -> String { csv.hasSuffix(".csv") ? String(csv.dropLast(4)) : csv }

    public static func recordText(_ r: RunRecord) throws -> String {
        try JSONText.pretty(r) + "\n"
    }

    /// The files a run writes beside its CSV (`CSV.run.json`, the plots, the report).
    static func derivedFiles(_ csv: String) -> [String] {
        [recordPath(csv), base(csv) + ".pareto.svg", base(csv) + ".breakdown.svg", base(csv) + ".html"]
    }

    /// Reads the run record beside a CSV; every failure names the record and what to do.
    public static func readRecord(csv: String) throws -> RunRecord {
        let path = recordPath(csv)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: csv, isDirectory: &isDir) else {
            throw UserError("\(csv): no such file; accepted: a CSV written by 'intarsia search'")
        }
        if isDir.boolValue { throw UserError("\(csv): is a directory; accepted: a CSV written by 'intarsia search'") }
        let data: Data
        do throws(InputFile.Unreadable) { data = try InputFile.read(path) } catch where error.reason == "no such file" {
            throw UserError("\(csv): no run record \(path) beside it; accepted: a CSV written by 'intarsia search' (which writes the record); 'intarsia merge' writes one for merged shards")
        } catch {
            throw UserError("\(error); accepted: the run record a search writes beside its CSV")
        }
        do {
            return try JSONDecoder().decode(RunRecord.self, from: data)
        } catch {
            throw UserError("\(path): not a run record written by 'intarsia search' (\(describeDecoding(error))); accepted: the CSV.run.json a search writes: rerun the search")
        }
    }

    /// `intarsia report`: regenerates the plots and HTML of a CSV, locked against a run writing
    /// the same CSV, and replaced together.
    public static func run(csv: String, design: Int? = nil, templates: FPGATemplates = .builtin) throws -> Files {
        let record = try readRecord(csv: csv)
        let lock = try OutputLock(path: csv)
        defer { lock.release() }
        let (files, texts) = try render(csvData: csv, csv: csv, record: record, design: design, templates: templates)
        var staged = StagedFiles()
        do {
            for (path, text) in texts { try staged.stage(text, to: path) }
            try staged.commit(removingFirst: [base(csv) + ".pareto.svg", base(csv) + ".breakdown.svg", base(csv) + ".html"])
        } catch { staged.discard(); throw error }
        return files
    }

    /// The plots and HTML of the CSV at `csvData`, named after `csv` (where it will live).
    static func render(csvData: String, csv: String, record: RunRecord, design: Int? = nil,
                       templates: FPGATemplates = .builtin) throws -> (Files, [(String, String)]) {
        let spec: DesignSpec
        do { spec = try DesignSpec.parse(text: record.specText, file: record.specPath, templates: templates) } catch {
            throw UserError("\(recordPath(csv)): the spec it records does not read (\(userFacing(error).description)); accepted: a record written by 'intarsia search' with this version")
        }
        if let f = record.specFingerprint, f != fnv1a(record.specText) {
            throw UserError("\(recordPath(csv)): its spec text does not match its specFingerprint \(f); the record was edited: rerun the search")
        }
        let objectives = spec.objectives.map(\.rawValue)
        let xColumn = objectives[0]
        let yColumn = objectives.count > 1 ? objectives[1] : (xColumn == "dsp" ? "latency_ms" : "dsp")
        // The chosen design: the given id, else the feasible design best in the first objective.
        let first = spec.objectives[0]
        let bestColumns = ["id", "template", "lanes", "compute_units", "stages", "latency_cycles", "latency_ms", "dsp", "bram18k", "uram", "power_w", "energy_mj", "pareto"]
        // One pass over the CSV, keeping the plotted figures of every row (a few numbers each),
        // the chosen row and the ten best feasible rows: memory does not grow with the rows' text.
        var points: [SVGPlot.Point] = []
        var chosenRow: [String]?
        var chosenCost = Double.infinity
        var best: [(cost: Double, row: [String])] = []
        var rows = 0
        let table: DesignTable
        do {
            table = try DesignTable.scan(csvData, displayName: csv, expectedHeader: DesignColumns.header, templates: templates) { t, r in
                rows += 1
                func cost(_ r: [String]) -> Double {
                    let v = t.number(r, first == .throughput ? "throughput_per_s" : first.rawValue)
                    return first == .throughput ? -v : v
                }
                let feasible = t.value(r, "feasible") == "true"
                points.append((x: t.number(r, xColumn), y: t.number(r, yColumn), feasible: feasible,
                               front: t.value(r, "pareto") == "true", id: Int(t.value(r, "id")) ?? -1))
                if let id = design {
                    if t.value(r, "id") == String(id) { chosenRow = r }
                }
                guard feasible else { return }
                let c = cost(r)
                if design == nil && c < chosenCost {
                    chosenCost = c
                    chosenRow = r
                }
                if best.count < 10 || c < best[best.count - 1].cost {
                    let at = best.firstIndex { c < $0.cost } ?? best.count
                    best.insert((c, bestColumns.map { t.value(r, $0) }), at: at)
                    if best.count > 10 { best.removeLast() }
                }
            }
        } catch let e as DesignTable.ReadError { throw UserError(e.description) }
        if let n = record.rows, n != rows {
            throw UserError("\(csv): \(rows) rows, but its run record \(recordPath(csv)) says the run wrote \(n); the CSV was cut or replaced: rerun the search (or 'intarsia merge' for shards)")
        }
        if let id = design, chosenRow == nil { throw UserError("--design \(id): no row with that id in \(csv)") }
        let title = "\(spec.name): \(SVGPlot.axisLabel(yColumn)) against \(SVGPlot.axisLabel(xColumn))"
        let chosen = chosenRow.map { r in (x: table.number(r, xColumn), y: table.number(r, yColumn),
                                           label: "chosen: #\(table.value(r, "id")) \(table.value(r, "template")) \(table.value(r, "lanes")) lanes") }
        let plotted = SVGPlot.thinned(points, atMost: SVGPlot.plottedPointLimit)
        let label = plotted.count < points.count ? "\(points.count) designs (\(plotted.count) plotted: every Pareto design and an even sample of the rest)" : "\(points.count) designs"
        let paretoSVG = SVGPlot.pareto(title: title, xColumn: xColumn, yColumn: yColumn,
                                       series: [SVGPlot.Series(label: label, color: PlotPalette.series[0], points: plotted)], chosen: chosen)
        let files = Files(pareto: base(csv) + ".pareto.svg", breakdown: chosenRow == nil ? nil : base(csv) + ".breakdown.svg", html: base(csv) + ".html")
        var texts: [(String, String)] = [(files.pareto, paretoSVG)]
        var breakdownSVG = ""
        var taskRows: [[String]] = []
        if let r = chosenRow, let path = files.breakdown {
            let p = try MergeJob.point(from: r, header: table.header, templates: templates)
            var rec = BreakdownRecorder()
            _ = spec.solvingModel.evaluate(p, recorder: &rec)  // the breakdown is in the recorder
            let reps = spec.workload.repetitions
            breakdownSVG = SVGPlot.breakdown(
                title: "Latency of design #\(table.value(r, "id")) by stage\(reps > 1 ? " (one of \(reps) repetitions)" : "")",
                unit: "cycles", segments: rec.stages.map { (label: "\($0.pattern): \($0.tasks.joined(separator: " "))", value: $0.cycles) })
            texts.append((path, breakdownSVG))
            taskRows = rec.tasks.map { [$0.task, $0.op, String($0.stage), String($0.lanes), String(Int64($0.busyCycles)), String(Int64($0.macs)),
                                        $0.lanes > 0 ? String(format: "%.1f%%", $0.utilization * 100) : "-"] }
        }
        texts.append((files.html, html(spec: spec, record: record, file: csv, bestColumns: bestColumns, best: best.map(\.row), chosen: chosenRow, paretoSVG: paretoSVG,
                                       breakdownSVG: breakdownSVG, taskRows: taskRows)))
        return (files, texts)
    }

    static func esc(_ s: String) -> String { SVGPlot.esc(s) }

    static func htmlTable(_ header: [String], _ rows: [[String]]) -> String {
        "<table><tr>" + header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
            + rows.map { "<tr>" + $0.map { "<td>\(esc($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n") + "</table>\n"
    }

    static func html(spec: DesignSpec, record: RunRecord, file: String, bestColumns cols: [String], best: [[String]], chosen: [String]?, paretoSVG: String,
                     breakdownSVG: String, taskRows: [[String]]) -> String {
        let first = spec.objectives[0]
        var validation: [[String]] = []
        for d in PublishedDesign.all {
            do {
                let c = try d.check()
                validation.append([d.name, String(Int64(d.measuredCycles)), String(Int64(c.modelCycles.rounded())),
                                   String(format: "%+.1f%%", c.relativeError * 100), d.tolerance == nil ? "reported (mechanism missing)" : (c.withinTolerance ? "within tolerance" : "outside")])
            } catch {
                // A published design the model cannot build is shown with why, not left out.
                validation.append([d.name, String(Int64(d.measuredCycles)), "-", "-", "not modelled: \(error)"])
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(esc(spec.name)): Intarsia report</title>
        <style>
        body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
        table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
        th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
        th { background: #f2f2f2; } td:first-child, th:first-child { text-align: left; }
        pre { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: 12px; }
        </style></head><body>
        <h1>\(esc(spec.name))</h1>
        <p>Workload <b>\(esc(spec.workload.name))</b> (\(spec.workload.tasks.count) tasks\(spec.workload.repetitions > 1 ? " × \(spec.workload.repetitions) repetitions" : "")) on <b>\(esc(spec.platform.name))</b> (\(esc(spec.platform.part)), \(String(format: "%.0f", spec.platform.clockMHz)) MHz).
        Search: \(esc(record.strategy)), \(record.evaluated) of \(record.spaceSize) designs evaluated (\(record.pruned) pruned), \(record.feasible) feasible, \(String(format: "%.2f", record.seconds)) s.
        Objectives: \(esc(spec.objectives.map(\.rawValue).joined(separator: ", "))).</p>
        <h2>Best designs (by \(esc(first.rawValue)))</h2>
        \(htmlTable(cols, Array(best)))
        <h2>Pareto front</h2>
        \(paretoSVG)
        \(chosen == nil ? "<p>No feasible design: nothing is chosen.</p>" : "<h2>Where the chosen design's time goes</h2>\n" + breakdownSVG + htmlTable(["task", "op", "stage", "lanes", "busy cycles", "MACs", "utilization"], taskRows))
        <h2>Validation notes</h2>
        <p>The latency model against published U280 measurements (InTAR, FCCM 2025); docs/VALIDATION.md explains each design's knobs and the mechanisms not yet modelled.</p>
        \(htmlTable(["design", "measured cycles", "model cycles", "error", "status"], validation))
        <h2>Spec</h2>
        <pre>\(esc(record.specText))</pre>
        <p><small>Written by intarsia report from \(esc(file)). Columns: docs/CSV.md.</small></p>
        </body></html>

        """
    }
}
