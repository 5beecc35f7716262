import Foundation
import IntarsiaFPGA
import IntarsiaReports
import IntarsiaSearch
import IntarsiaSpec

/// `intarsia merge`: combines the CSVs of a sharded search into the CSV a single run writes:
/// rows in id order, each id once, and the Pareto column worked out again over all of them. The
/// front is found from the designs' exact evaluations (re-evaluated from each row's knobs with
/// the spec's model), not from the rounded CSV figures, so it is the single run's front.
public enum MergeJob {
    public static func run(specPath: String, inputs: [String], output: String) throws -> Int {
        let spec = try DesignSpec.load(path: specPath)
        let model = spec.solvingModel
        let header = DesignColumns.header
        var rows: [Int: [String]] = [:]
        for file in inputs {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw UserError("\(file): no such file or not readable; accepted: a CSV written by 'intarsia search --shard'")
            }
            let table = CSV.parse(String(decoding: data, as: UTF8.self))
            guard table.first == header else {
                throw UserError("\(file): its header is not the design CSV header of this version (docs/CSV.md); accepted: CSVs written by 'intarsia search'")
            }
            for r in table.dropFirst() where r.count == header.count {
                guard let id = Int(r[0]) else { throw UserError("\(file): row with id '\(r[0])': not an integer id") }
                let body = Array(r.dropLast())
                if let existing = rows[id], existing != body {
                    throw UserError("\(file): id \(id) appears in two inputs with different figures; were the shards made from the same spec?")
                }
                rows[id] = body
            }
        }
        var archive = ParetoArchive(objectives: spec.objectives)
        let ids = rows.keys.sorted()
        for id in ids {
            let r = rows[id]!
            let p = try point(from: r, header: header)
            archive.offer(EvaluatedDesign(id: id, point: p, evaluation: model.evaluate(p)))
        }
        let front = archive.ids
        var text = CSV.line(header) + "\n"
        for id in ids { text += CSV.line(rows[id]! + [front.contains(id) ? "true" : "false"]) + "\n" }
        try writeAtomically(text, to: output)
        return ids.count
    }

    static func point(from row: [String], header: [String]) throws -> DesignPoint {
        guard let tc = header.firstIndex(of: "template"), let t = TemplateKind(rawValue: row[tc]) else {
            throw UserError("row \(row[0]): no known template; accepted: \(TemplateKind.acceptedNames)")
        }
        var p = DesignPoint(template: t, lanes: 1)
        for k in Knob.knobs(of: t) {
            guard let c = header.firstIndex(of: k.rawValue) else { throw UserError("row \(row[0]): no '\(k.rawValue)' column; accepted: a CSV written by 'intarsia search' (docs/CSV.md)") }
            let text = row[c]
            guard let v = k.parse(text) else { throw UserError("row \(row[0]): \(k.rawValue) '\(text)' is not accepted; accepted: \(k.accepted)") }
            p.set(k, v)
        }
        return p
    }
}
