import Foundation

/// A design CSV read back: header and rows, with typed access to the columns compare needs.
public struct DesignTable: Sendable {
    public var file: String
    public var header: [String]
    public var rows: [[String]]

    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Columns every design CSV has (FPGA and ASIC alike).
    public static let requiredColumns = ["id", "latency_cycles", "latency_ms", "feasible"]

    /// Whether the table comes from an ASIC search (sub-accelerator columns instead of a template).
    public var isASIC: Bool { header.contains("acc0_dataflow") }

    /// The design's kind: the FPGA template, or the ASIC sub-accelerators' dataflows.
    public func kind(_ r: [String]) -> String {
        if let t = column("template") { return r[t] }
        return header.indices.filter { header[$0].hasSuffix("_dataflow") }.map { r[$0] }.joined(separator: "+")
    }

    public static func read(_ path: String) throws -> DesignTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(description: "\(path): no such file or not readable; accepted: a CSV written by 'intarsia search'")
        }
        let rows = CSV.parse(String(decoding: data, as: UTF8.self))
        guard let header = rows.first else { throw ReadError(description: "\(path): empty file; accepted: a CSV written by 'intarsia search'") }
        for c in requiredColumns where !header.contains(c) {
            throw ReadError(description: "\(path): column '\(c)' missing from the header; accepted: a CSV written by 'intarsia search' (see docs/CSV.md)")
        }
        let body = rows.dropFirst().filter { $0.count == header.count }
        return DesignTable(file: path, header: header, rows: Array(body))
    }

    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// Reads a design CSV row by row without holding it: `visit` sees each well-formed row (as
    /// many fields as the header) with the table's header (its `rows` stay empty). Memory stays
    /// at one chunk of the file, whatever its length.
    public static func scan(_ path: String, visit: (DesignTable, [String]) throws -> Void) throws -> DesignTable {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ReadError(description: "\(path): no such file or not readable; accepted: a CSV written by 'intarsia search'")
        }
        defer { try? handle.close() }
        var table: DesignTable?
        var pending = Data()
        func consume(_ line: Data) throws {
            guard !line.isEmpty else { return }
            guard let fields = CSV.parse(String(decoding: line, as: UTF8.self)).first else { return }
            if let t = table {
                if fields.count == t.header.count { try visit(t, fields) }
            } else {
                for c in requiredColumns where !fields.contains(c) {
                    throw ReadError(description: "\(path): column '\(c)' missing from the header; accepted: a CSV written by 'intarsia search' (see docs/CSV.md)")
                }
                table = DesignTable(file: path, header: fields, rows: [])
            }
        }
        // A newline inside a quoted field does not end a row: split only where the quotes balance.
        var quotes = 0
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            var start = pending.startIndex
            pending.append(chunk)
            var i = pending.index(pending.endIndex, offsetBy: -chunk.count)
            start = pending.startIndex
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
        try consume(pending)
        guard let t = table else { throw ReadError(description: "\(path): empty file; accepted: a CSV written by 'intarsia search'") }
        return t
    }

    public func value(_ row: [String], _ name: String) -> String { column(name).map { row[$0] } ?? "" }

    public func number(_ row: [String], _ name: String) -> Double { Double(value(row, name)) ?? .nan }

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
    public static let header = ["file", "template", "lanes", "dsp", "bram18k", "uram", "area_mm2", "latency_cycles", "latency_ms", "power_w", "energy_mj", "metric", "ratio_vs_baseline"]

    /// `baseline`: an index into the lined-up rows (0 = first); ratio = baseline metric / row metric,
    /// so above 1 means better (faster) than the baseline.
    public static func rows(tables: [DesignTable], metric: String, baseline: Int, lanes: Int?) throws -> [[String]] {
        var lined: [[String]] = []
        var metrics: [Double] = []
        for t in tables {
            guard t.column(metric) != nil else {
                throw DesignTable.ReadError(description: "\(t.file): no column '\(metric)'; accepted: one of \(t.header.joined(separator: ", "))")
            }
            let filter: (([String]) -> Bool)? = lanes.map { l in { r in t.value(r, t.isASIC ? "pes" : "lanes") == String(l) } }
            for (template, r) in t.bestPerTemplate(metric: metric, filter: filter) {
                lined.append([t.file, template, t.isASIC ? t.value(r, "pes") : t.value(r, "lanes"), t.value(r, "dsp"), t.value(r, "bram18k"), t.value(r, "uram"),
                              t.value(r, "area_mm2"), t.value(r, "latency_cycles"), t.value(r, "latency_ms"), t.value(r, "power_w"), t.value(r, "energy_mj"),
                              t.value(r, metric)])
                metrics.append(t.number(r, metric))
            }
        }
        guard !lined.isEmpty else { throw DesignTable.ReadError(description: "no feasible design in the given files\(lanes.map { " at lanes \($0)" } ?? "")") }
        guard baseline >= 0 && baseline < lined.count else {
            throw DesignTable.ReadError(description: "--baseline \(baseline) is out of range; accepted: 0 to \(lined.count - 1) (row of the comparison)")
        }
        let base = metrics[baseline]
        return zip(lined, metrics).map { row, m in row + [String(format: "%.4f", base / m)] }
    }
}

/// Per kernel and per lane budget that all three templates reach: the best dataflow,
/// sequential (well built and, separately, with the published baselines' blocking reads) and
/// reconfigurable design, with speedups.
public enum HDVSummary {
    public static let header = ["kernel", "lanes", "dataflow_dsp", "sequential_dsp", "reconfigurable_dsp",
                                "dataflow_cycles", "sequential_cycles", "sequential_blocking_cycles", "reconfigurable_cycles",
                                "reconfigurable_stages", "speedup_vs_dataflow", "speedup_vs_sequential", "speedup_vs_sequential_blocking"]

    public static func rows(tables: [DesignTable]) -> [[String]] {
        var out: [[String]] = []
        for t in tables {
            let kernel = URL(fileURLWithPath: t.file).deletingPathExtension().lastPathComponent
            let lanesValues = Set(t.rows.map { t.value($0, "lanes") }).compactMap(Int.init).sorted()
            for l in lanesValues {
                let at = t.bestPerTemplate(metric: "latency_cycles") { t.value($0, "lanes") == String(l) }
                let blocking = t.bestPerTemplate(metric: "latency_cycles") { t.value($0, "lanes") == String(l) && t.value($0, "weight_load") == "blocking" }
                func row(_ name: String, _ list: [(template: String, row: [String])]) -> [String]? { list.first { $0.template == name }?.row }
                guard let d = row("dataflow", at), let s = row("sequential", at), let r = row("reconfigurable", at) else { continue }
                let sb = row("sequential", blocking)
                let rc = t.number(r, "latency_cycles")
                func speed(_ x: Double) -> String { String(format: "%.3f", x / rc) }
                out.append([kernel, String(l), t.value(d, "dsp"), t.value(s, "dsp"), t.value(r, "dsp"),
                            t.value(d, "latency_cycles"), t.value(s, "latency_cycles"), sb.map { t.value($0, "latency_cycles") } ?? "",
                            t.value(r, "latency_cycles"), t.value(r, "stages"),
                            speed(t.number(d, "latency_cycles")), speed(t.number(s, "latency_cycles")),
                            sb.map { speed(t.number($0, "latency_cycles")) } ?? ""])
            }
        }
        return out
    }
}

/// Writes text to a file atomically (temporary file, then rename).
public func writeAtomically(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url, options: .atomic)
}
