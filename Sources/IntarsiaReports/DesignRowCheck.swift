import Foundation
import IntarsiaFPGA
import IntarsiaRows

/// The checks `DesignTable.scan` makes on each row of a design CSV, set up from its header:
/// as many fields as the header, ids non-negative integers in strictly increasing order, numeric
/// columns finite numbers, `feasible` and `pareto` true or false, and on FPGA CSVs a template of
/// the registry given with every one of its knobs readable.
struct DesignRowCheck {
    let table: DesignTable
    let templates: FPGATemplates
    private var numeric: [Int] = []
    private var templateColumn: Int?
    private var knobColumns: [(Knob, Int)] = []
    private var boolColumns: [Int] = []
    private var lastID: Int?

    init(file: String, header: [String], templates: FPGATemplates) {
        table = DesignTable(file: file, header: header, rows: [])
        self.templates = templates
        for (i, c) in header.enumerated() {
            if c == "feasible" || c == "pareto" { boolColumns.append(i) }
            else if c == "template" { templateColumn = i }
            else if let k = Knob(rawValue: c), header.contains("template") { knobColumns.append((k, i)) }
            else if !DesignTable.textColumns.contains(c) && !(c.hasPrefix("acc") && (c.hasSuffix("_dataflow") || c.hasSuffix("_noc_elements_per_cycle"))) { numeric.append(i) }
        }
    }

    /// Checks the row on `line` (from 1, the header's line); the first bad field is an error
    /// naming the file, the line, the column and the value.
    mutating func check(_ fields: [String], line: Int) throws {
        let header = table.header
        func bad(_ why: String) -> DesignTable.ReadError {
            DesignTable.ReadError("\(table.file) line \(line): \(why); accepted: a CSV written by 'intarsia search' (see docs/CSV.md)")
        }
        guard fields.count == header.count else { throw bad("\(fields.count) fields, but the header has \(header.count)") }
        guard let id = Int(fields[0]), id >= 0 else { throw bad("id '\(fields[0].prefix(40))' is not a non-negative integer") }
        if let l = lastID, id <= l { throw bad(id == l ? "id \(id) appears twice" : "id \(id) after id \(l) (ids are written in increasing order)") }
        lastID = id
        for i in numeric {
            guard let v = Double(fields[i]), v.isFinite, !fields[i].hasPrefix("0x"), !fields[i].hasPrefix("-0x") else {
                throw bad("\(header[i]) '\(fields[i].prefix(40))' is not a finite number")
            }
        }
        for i in boolColumns where fields[i] != "true" && fields[i] != "false" {
            throw bad("\(header[i]) '\(fields[i].prefix(40))' is not true or false")
        }
        if let tc = templateColumn {
            guard let kind = templates.named(fields[tc]) else { throw bad("template '\(fields[tc].prefix(40))' is unknown; accepted: \(templates.acceptedNames)") }
            for (k, i) in knobColumns {
                guard let tk = kind.knob(k), tk.parse(fields[i]) == nil else { continue }
                throw bad("\(k.rawValue) '\(fields[i].prefix(40))' is not accepted for \(kind.rawValue); accepted: \(tk.accepted)")
            }
        }
    }
}
