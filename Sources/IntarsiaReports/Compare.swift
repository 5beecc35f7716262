import Foundation
import IntarsiaFPGA
import IntarsiaRows

/// A design CSV read back: header and rows, with typed access to the columns compare needs.
public struct DesignTable: Sendable, ColumnLookup {
    public var file: String
    public var header: [String]
    public var rows: [[String]]

    public typealias ReadError = RowReadError

    /// Columns every design CSV has (FPGA and ASIC alike).
    public static let requiredColumns = ["id", "latency_cycles", "latency_ms", "feasible"]

    /// Whether the table comes from an ASIC search (sub-accelerator columns instead of a template).
    public var isASIC: Bool { header.contains("acc0_dataflow") }

    /// The design's kind: the FPGA template, or the ASIC sub-accelerators' dataflows.
    public func kind(_ r: [String]) -> String {
        if let t = column("template") { return r[t] }
        return header.indices.filter { header[$0].hasSuffix("_dataflow") }.map { r[$0] }.joined(separator: "+")
    }

    /// Reads a whole design CSV, validated row by row (see `scan`).
    public static func read(_ path: String, templates: FPGATemplates = .builtin) throws -> DesignTable {
        var rows: [[String]] = []
        var t = try scan(path, templates: templates) { _, r in rows.append(r) }
        t.rows = rows
        return t
    }

    /// Columns holding words, not numbers (every other column of a design CSV is a finite number).
    static let textColumns: Set<String> = ["template", "allocation", "weight_load", "flatten_loops", "spill", "pipelined", "matvec",
                                           "feasible", "violations", "pareto", "assignment", "schedule_space", "solver_status"]
    /// Columns every ASIC design CSV has besides the sub-accelerators'.
    static let asicColumns = ["id", "assignment", "latency_cycles", "latency_ms", "energy_mj", "area_mm2", "power_w", "utilization", "pes", "feasible", "violations", "pareto"]

    /// Checks a header: the required columns, no column twice, and the whole column list of the
    /// CSV kind it is (FPGA: `DesignColumns.header`; ASIC: the sub-accelerator columns and the rest).
    static func checkHeader(_ fields: [String], _ name: String, expected: [String]?) throws {
        let accepted = "accepted: a CSV written by 'intarsia search' (see docs/CSV.md)"
        try RowTable.checkHeader(fields, file: name, required: requiredColumns, accepted: "a CSV written by 'intarsia search' (see docs/CSV.md)")
        let want: [String]? = expected ?? (fields.contains("template") ? DesignColumns.header : nil)
        if let want, fields != want {
            let missing = want.filter { !fields.contains($0) }, extra = fields.filter { !want.contains($0) }
            var why: [String] = []
            if !missing.isEmpty { why.append("missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))") }
            if !extra.isEmpty { why.append("unknown column\(extra.count > 1 ? "s" : "") \(extra.joined(separator: ", "))") }
            if why.isEmpty { why.append("columns in another order") }
            throw ReadError("\(name): header: \(why.joined(separator: "; ")); \(accepted)")
        }
        if expected == nil && fields.contains("acc0_dataflow") {
            for c in asicColumns where !fields.contains(c) { throw ReadError("\(name): column '\(c)' missing from the ASIC header; \(accepted)") }
        }
    }

    /// Reads a design CSV row by row without holding it: `visit` sees each row with the table's
    /// header (its `rows` stay empty). Memory stays at one chunk of the file, whatever its length.
    ///
    /// Every row is validated, and the first bad one is an error naming the file, the line, the
    /// column and the value: as many fields as the header, ids non-negative integers in strictly
    /// increasing order (so unique; every Intarsia CSV is written in id order), numeric columns
    /// finite numbers, `feasible` and `pareto` true or false, and on FPGA CSVs a template of
    /// `templates` with every one of its knobs readable. A file cut mid-row (no final newline) is refused.
    /// `displayName` names the file in messages (the path it will have, for a temporary file).
    public static func scan(_ path: String, displayName: String? = nil, expectedHeader: [String]? = nil, templates: FPGATemplates = .builtin,
                            visit: (DesignTable, [String]) throws -> Void) throws -> DesignTable {
        let name = displayName ?? path
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw ReadError("\(name): is a directory; accepted: a CSV written by 'intarsia search'")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ReadError("\(name): no such file or not readable; accepted: a CSV written by 'intarsia search'")
        }
        defer { try? handle.close() }  // ignored: closing a file only read from loses nothing
        var checker: DesignRowCheck?
        var line = 0
        func consume(_ bytes: Data) throws {
            line += 1
            let fields = try fields(of: bytes, name: name, line: line, header: checker == nil)
            guard checker != nil else {
                try checkHeader(fields, name, expected: expectedHeader)
                checker = DesignRowCheck(file: name, header: fields, templates: templates)
                return
            }
            try checker!.check(fields, line: line)
            try visit(checker!.table, fields)
        }
        let rest = try splitRows(handle, consume)
        if !rest.isEmpty {
            if checker == nil { try consume(rest) } else {
                throw ReadError("\(name) line \(line + 1): the last row has no final newline: the file was cut (an interrupted copy or write); accepted: a complete CSV written by 'intarsia search'")
            }
        }
        guard let t = checker?.table else { throw ReadError("\(name): empty file; accepted: a CSV written by 'intarsia search'") }
        return t
    }

    /// One line's fields, or why the line is not a row (empty, not UTF-8).
    static func fields(of bytes: Data, name: String, line: Int, header: Bool) throws -> [String] {
        guard !bytes.isEmpty else {
            if header { throw ReadError("\(name) line 1: empty header; accepted: a CSV written by 'intarsia search'") }
            throw ReadError("\(name) line \(line): an empty line; accepted: one row per line, as 'intarsia search' writes")
        }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw ReadError("\(name) line \(line): not UTF-8 text; accepted: a CSV written by 'intarsia search'")
        }
        return CSV.parse(text + "\n").first ?? []
    }

    /// Reads the file a megabyte at a time and hands each row's bytes (without its newline) to
    /// `consume`; a newline inside a quoted field does not end a row: rows split only where the
    /// quotes balance. Returns what follows the last newline (empty for a complete file).
    static func splitRows(_ handle: FileHandle, _ consume: (Data) throws -> Void) throws -> Data {
        var pending = Data()
        var quotes = 0
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            pending.append(chunk)
            var i = pending.index(pending.endIndex, offsetBy: -chunk.count)
            var start = pending.startIndex
            while i < pending.endIndex {
                let b = pending[i]
                if b == UInt8(ascii: "\"") { quotes += 1 }
                if b == UInt8(ascii: "\n") && quotes % 2 == 0 {
                    try consume(pending[start..<i])
                    start = pending.index(after: i)
                }
                i = pending.index(after: i)
            }
            pending = Data(pending[start...])
        }
        return pending
    }

    /// The feasible row with the least `metric` per template (first seen wins ties), optionally
    /// only among rows whose `where` column equals a value.
    public func bestPerTemplate(metric: String, filter: ((([String]) -> Bool))? = nil) -> [(template: String, row: [String])] {
        var best: [String: [String]] = [:]
        var order: [String] = []
        for r in rows where value(r, "feasible") == "true" && (filter?(r) ?? true) {
            let t = kind(r)
            let x = number(r, metric)
            guard x.isFinite else { continue }
            if let b = best[t] {
                if x < number(b, metric) { best[t] = r }
            } else {
                best[t] = r
                order.append(t)
            }
        }
        return order.map { ($0, best[$0]!) }
    }
}

/// Lines up the best design per template of several result files, with ratios against a baseline.
public enum Comparison {
    /// One line: a file's best design of one template (or ASIC dataflow combination), its metric,
    /// and the ratio against the baseline line.
    public struct Line: Sendable {
        public var table: DesignTable
        public var template: String
        public var row: [String]
        public var metric: String
        public var ratio = 0.0
        func value(_ name: String) -> String { table.value(row, name) }
    }

    public static let columns: Columns<Line> = Columns(
        [Column("file") { $0.table.file }, Column("template") { $0.template }, Column("lanes") { $0.value($0.table.isASIC ? "pes" : "lanes") }]
            + ["dsp", "bram18k", "uram", "area_mm2", "latency_cycles", "latency_ms", "power_w", "energy_mj"].map { name in Column(name) { $0.value(name) } }
            + [Column("metric") { $0.value($0.metric) }, Column("ratio_vs_baseline") { Figures.fixed($0.ratio, 4) }])

    public static var header: [String] { columns.header }

    /// `baseline`: an index into the lined-up rows (0 = first); ratio = baseline metric / row metric,
    /// so above 1 means better (faster) than the baseline.
    public static func lines(tables: [DesignTable], metric: String, baseline: Int, lanes: Int?) throws -> [Line] {
        var lined: [Line] = []
        for t in tables {
            guard t.column(metric) != nil else {
                throw DesignTable.ReadError("--metric '\(metric)': \(t.file) has no such column; accepted: one of \(t.header.joined(separator: ", "))")
            }
            let filter: (([String]) -> Bool)? = lanes.map { l in { r in t.value(r, t.isASIC ? "pes" : "lanes") == String(l) } }
            lined += t.bestPerTemplate(metric: metric, filter: filter).map { Line(table: t, template: $0.template, row: $0.row, metric: metric) }
        }
        guard !lined.isEmpty else { throw DesignTable.ReadError("no feasible design in the given files\(lanes.map { " at lanes \($0)" } ?? "")") }
        guard baseline >= 0 && baseline < lined.count else {
            throw DesignTable.ReadError("--baseline \(baseline) is out of range; accepted: 0 to \(lined.count - 1) (row of the comparison)")
        }
        let base = lined[baseline].table.number(lined[baseline].row, metric)
        for i in lined.indices { lined[i].ratio = base / lined[i].table.number(lined[i].row, metric) }
        return lined
    }

    /// The lines' fields, in `columns` order.
    public static func rows(tables: [DesignTable], metric: String, baseline: Int, lanes: Int?) throws -> [[String]] {
        try lines(tables: tables, metric: metric, baseline: baseline, lanes: lanes).map(columns.fields)
    }
}

/// Per kernel and per lane budget that all three templates reach: the best dataflow,
/// sequential (well built and, separately, with the published baselines' blocking reads) and
/// reconfigurable design, with speedups.
public enum HDVSummary {
    /// One kernel at one lane budget: each template's best row (`sequentialBlocking`: the best
    /// sequential design with blocking weight reads, if any).
    public struct Line: Sendable {
        public var table: DesignTable
        public var kernel: String
        public var lanes: Int
        public var dataflow: [String]
        public var sequential: [String]
        public var sequentialBlocking: [String]?
        public var reconfigurable: [String]

        func cycles(_ r: [String]) -> String { table.value(r, "latency_cycles") }
        /// The other design's cycles over the reconfigurable design's.
        func speedup(_ r: [String]) -> String { String(format: "%.3f", table.number(r, "latency_cycles") / table.number(reconfigurable, "latency_cycles")) }
    }

    public static let columns = Columns<Line>([
        Column("kernel") { $0.kernel }, Column("lanes") { String($0.lanes) },
        Column("dataflow_dsp") { $0.table.value($0.dataflow, "dsp") }, Column("sequential_dsp") { $0.table.value($0.sequential, "dsp") },
        Column("reconfigurable_dsp") { $0.table.value($0.reconfigurable, "dsp") },
        Column("dataflow_cycles") { $0.cycles($0.dataflow) }, Column("sequential_cycles") { $0.cycles($0.sequential) },
        Column("sequential_blocking_cycles") { l in l.sequentialBlocking.map { l.cycles($0) } ?? "" },
        Column("reconfigurable_cycles") { $0.cycles($0.reconfigurable) }, Column("reconfigurable_stages") { $0.table.value($0.reconfigurable, "stages") },
        Column("speedup_vs_dataflow") { $0.speedup($0.dataflow) }, Column("speedup_vs_sequential") { $0.speedup($0.sequential) },
        Column("speedup_vs_sequential_blocking") { l in l.sequentialBlocking.map { l.speedup($0) } ?? "" },
    ])

    public static var header: [String] { columns.header }

    public static func lines(tables: [DesignTable]) -> [Line] {
        var out: [Line] = []
        for t in tables {
            let kernel = URL(fileURLWithPath: t.file).deletingPathExtension().lastPathComponent
            let lanesValues = Set(t.rows.map { t.value($0, "lanes") }).compactMap(Int.init).sorted()
            for l in lanesValues {
                let at = t.bestPerTemplate(metric: "latency_cycles") { t.value($0, "lanes") == String(l) }
                let blocking = t.bestPerTemplate(metric: "latency_cycles") { t.value($0, "lanes") == String(l) && t.value($0, "weight_load") == "blocking" }
                func row(_ name: String, _ list: [(template: String, row: [String])]) -> [String]? { list.first { $0.template == name }?.row }
                guard let d = row("dataflow", at), let s = row("sequential", at), let r = row("reconfigurable", at) else { continue }
                out.append(Line(table: t, kernel: kernel, lanes: l, dataflow: d, sequential: s, sequentialBlocking: row("sequential", blocking), reconfigurable: r))
            }
        }
        return out
    }

    /// The lines' fields, in `columns` order.
    public static func rows(tables: [DesignTable]) -> [[String]] { lines(tables: tables).map(columns.fields) }
}
