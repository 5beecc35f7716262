import Foundation
import IntarsiaFPGA
import IntarsiaReports
import IntarsiaRows
import IntarsiaSearch
import IntarsiaSpec

/// `intarsia merge`: combines the CSVs of a sharded search into the CSV a single run writes:
/// rows in id order, each id once, and the Pareto column worked out again over all of them. The
/// front is found from the designs' exact evaluations (re-evaluated from each row's knobs with
/// the spec's model), not from the rounded CSV figures, so it is the single run's front.
public enum MergeJob {
    /// Merges the shards' CSVs. Each input must be a complete shard CSV of this very spec: its
    /// run record (written by the search beside it) names the spec's fingerprint, the options
    /// and the shard i/N, and counts its rows. Every shard 0..N-1 must be given once, all with
    /// the same N and options; the merged CSV gets a run record of its own, so `report` works on it.
    /// `templates`: the registry the spec and the CSVs' `template` column may name.
    public static func run(specPath: String, inputs: [String], output: String, templates: FPGATemplates = .builtin) throws -> Int {
        if NASJob.isNAS(specPath) { return try mergeSeeds(specPath: specPath, inputs: inputs, output: output) }
        let spec = try DesignSpec.load(path: specPath, templates: templates)
        let specText = FileManager.default.contents(atPath: specPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let fingerprint = fnv1a(specText)
        do { try OutputPath.check(output, option: "-o") } catch let e as OutputError { throw UserError(e.description) }
        if let clash = inputs.first(where: { URL(fileURLWithPath: $0).standardized.path == URL(fileURLWithPath: output).standardized.path }) {
            throw UserError("-o '\(output)': is also an input (\(clash)); accepted: a new file for the merged CSV")
        }
        let lock: OutputLock
        do { lock = try OutputLock(path: output) } catch let e as OutputError { throw UserError(e.description) }
        defer { lock.release() }
        var rows: [Int: [String]] = [:]
        var shardOf: [Int: String] = [:]
        var count: Int?
        var options: String?
        var first: ReportJob.RunRecord?
        var totals = (evaluated: 0, pruned: 0, feasible: 0, seconds: 0.0)
        for file in inputs {
            let record = try ReportJob.readRecord(csv: file)
            guard let fp = record.specFingerprint, let opts = record.options, record.rows != nil else {
                throw UserError("\(file): its run record \(ReportJob.recordPath(file)) predates shard checks (no spec fingerprint, options or row count); accepted: shards written by this version of 'intarsia search --shard': rerun them")
            }
            guard fp == fingerprint else {
                throw UserError("\(file): written from another spec (\(record.specPath), fingerprint \(fp)) than \(specPath) (fingerprint \(fingerprint)); accepted: shards of \(specPath) run from its current text")
            }
            guard let sh = record.shard, let (i, total) = parseShard(sh) else {
                throw UserError("\(file): not a shard (its run record has no shard i/N); accepted: CSVs written by 'intarsia search --shard i/N'")
            }
            if opts.hasSuffix("pareto true") {
                throw UserError("\(file): written with pareto_only (each shard's front only), which cannot be merged into the single run's CSV; accepted: shards written without pareto_only")
            }
            let common = withoutShard(opts)
            if let c = count, c != total { throw UserError("\(file): shard \(sh), but \(inputs[0]) is a shard of \(c); accepted: the shards of one run, all i/\(c)") }
            if let o = options, o != common {
                throw UserError("\(file): shard \(sh) ran with other options than \(inputs[0]) (\(common) against \(o)); accepted: the shards of one run")
            }
            if let other = shardOf[i] { throw UserError("\(file): shard \(sh) is given twice (also \(other)); accepted: each shard once") }
            count = total
            options = common
            shardOf[i] = file
            if first == nil { first = record }
            totals.evaluated += record.evaluated
            totals.pruned += record.pruned
            totals.feasible += record.feasible
            totals.seconds += record.seconds
            try readRows(file, record: record, shard: (i, total), rows: &rows, others: shardOf.values.filter { $0 != file }, templates: templates)
        }
        if let c = count {
            let missing = (0..<c).filter { shardOf[$0] == nil }
            if !missing.isEmpty {
                let shown = missing.prefix(10).map { "\($0)/\(c)" }.joined(separator: ", ")
                throw UserError("merge: \(missing.count) of \(c) shards missing (\(shown)\(missing.count > 10 ? ", ..." : "")); accepted: every shard 0/\(c) to \(c - 1)/\(c) of one run, once each")
            }
        }
        let ids = rows.keys.sorted()
        let text = try mergedText(rows, ids: ids, spec: spec, templates: templates)
        var staged = StagedFiles()
        do {
            try staged.stage(text, to: output)
            if let f = first {
                let record = ReportJob.RunRecord(specPath: specPath, specText: specText, strategy: f.strategy, spaceSize: f.spaceSize,
                                                 evaluated: totals.evaluated, pruned: totals.pruned, feasible: totals.feasible, seconds: totals.seconds,
                                                 specFingerprint: fingerprint, options: options, shard: nil, rows: ids.count)
                try staged.stage(try ReportJob.recordText(record), to: ReportJob.recordPath(output))
            }
            try staged.commit(removingFirst: ReportJob.derivedFiles(output))
        } catch let e as OutputError {
            staged.discard()
            throw UserError(e.description)
        }
        return ids.count
    }

    /// The merged CSV: the rows in id order, each given its Pareto mark over all of them (from the
    /// designs re-evaluated with the spec's model, not from the rounded figures).
    static func mergedText(_ rows: [Int: [String]], ids: [Int], spec: DesignSpec, templates: FPGATemplates) throws -> String {
        let model = spec.solvingModel
        var archive = DesignFront(objectives: spec.objectives)
        for id in ids {
            let p = try point(from: rows[id]!, header: DesignColumns.streamed.header, templates: templates)
            archive.offer(EvaluatedDesign(id: id, point: p, evaluation: model.evaluate(p)))
        }
        let front = archive.ids
        var text = CSV.line(DesignColumns.header) + "\n"
        for id in ids { text += CSV.line(rows[id]! + [DesignColumns.paretoColumn.value(front.contains(id))]) + "\n" }
        return text
    }

    /// A shard's rows into `rows` by id, without their Pareto marks (worked out again over all
    /// shards): each row read and checked by the design CSV reader, its id in the shard, no id
    /// twice, and as many rows as the shard's record says it wrote.
    static func readRows(_ file: String, record: ReportJob.RunRecord, shard: (i: Int, total: Int), rows: inout [Int: [String]], others: [String],
                         templates: FPGATemplates) throws {
        let header = DesignColumns.header
        // The columns a search streams (every one but the Pareto mark), by position in `header`.
        let streamed = DesignColumns.streamed.header.map { header.firstIndex(of: $0)! }
        let sh = "\(shard.i)/\(shard.total)"
        var seen = 0
        do {
            _ = try DesignTable.scan(file, expectedHeader: header, templates: templates) { t, r in
                seen += 1
                let id = Int(t.value(r, "id"))!  // the reader checked it
                guard id % shard.total == shard.i || record.strategy != "exhaustive" else {
                    throw UserError("\(file) row id \(id): not in shard \(sh) (ids of shard i/N are i modulo N)")
                }
                if rows[id] != nil { throw UserError("\(file): id \(id) is also in \(others.joined(separator: ", ")); accepted: disjoint shards of one run") }
                rows[id] = streamed.map { r[$0] }
            }
        } catch let e as DesignTable.ReadError { throw UserError(e.description) }
        guard seen == record.rows else {
            throw UserError("\(file): \(seen) rows, but its run record says the shard wrote \(record.rows ?? 0); the CSV was cut or replaced: rerun shard \(sh) (with --resume if it was interrupted)")
        }
    }

    /// NAS seed sweeps run in parts (`intarsia nas SPEC --seeds S -o PREFIX`, one per array task):
    /// the rows of their PREFIX-seeds.csv in the order one sweep over all their seeds writes them
    /// (strategy by strategy, seeds ascending). Each part's record must name this spec's text and
    /// the same options, the seeds must be disjoint, and each CSV must hold the rows its record
    /// counts.
    static func mergeSeeds(specPath: String, inputs: [String], output: String) throws -> Int {
        guard let data = FileManager.default.contents(atPath: specPath), let text = String(data: data, encoding: .utf8) else {
            throw UserError("\(specPath): no such file, not readable or not UTF-8; accepted: a NAS spec (YAML)")
        }
        _ = try NASDesignSpec.parse(text: text, file: specPath)  // the spec itself must read
        let fingerprint = fnv1a(text)
        do { try OutputPath.check(output, option: "-o") } catch let e as OutputError { throw UserError(e.description) }
        let lock: OutputLock
        do { lock = try OutputLock(path: output) } catch let e as OutputError { throw UserError(e.description) }
        defer { lock.release() }
        var rows: [RowTable.Record] = []
        var options: String?
        var seedOwner: [UInt64: String] = [:]
        for file in inputs {
            let recordPath = file + ".run.json"
            guard let data = FileManager.default.contents(atPath: recordPath) else {
                throw UserError("\(file): no record \(recordPath) beside it; accepted: the PREFIX-seeds.csv of 'intarsia nas SPEC --seeds ...'")
            }
            let record: NASJob.SeedsRecord
            do { record = try JSONDecoder().decode(NASJob.SeedsRecord.self, from: data) } catch {
                throw UserError("\(recordPath): not a seed sweep's record (\(describeDecoding(error))); accepted: the record 'intarsia nas --seeds' writes")
            }
            guard record.specFingerprint == fingerprint else {
                throw UserError("\(file): written from another spec (\(record.specPath)) than \(specPath); accepted: sweeps of \(specPath) run from its current text")
            }
            if let o = options, o != record.options { throw UserError("\(file): ran with other options (\(record.options)) than \(inputs[0]) (\(o)); accepted: parts of one sweep") }
            options = record.options
            for s in record.seeds {
                if let other = seedOwner[s] { throw UserError("\(file): seed \(s) is also in \(other); accepted: sweeps over disjoint seeds") }
                seedOwner[s] = file
            }
            guard let content = FileManager.default.contents(atPath: file), let csvText = String(data: content, encoding: .utf8) else {
                throw UserError("\(file): no such file or not UTF-8 text; accepted: a PREFIX-seeds.csv")
            }
            guard csvText.hasSuffix("\n") else { throw UserError("\(file): the last row has no final newline: the file was cut; rerun that part") }
            let table: RowTable
            do { table = try RowTable(text: csvText, file: file, required: NASJob.seedsHeader, accepted: "a PREFIX-seeds.csv") } catch let e as RowReadError {
                throw UserError(e.description)
            }
            guard table.header == NASJob.seedsHeader else { throw UserError("\(file): header is not a seed sweep's (\(NASJob.seedsHeader.joined(separator: ","))); accepted: a PREFIX-seeds.csv") }
            for (k, r) in table.records.enumerated() {
                guard let s = UInt64(r["seed"]), record.seeds.contains(s) else {
                    throw UserError("\(file) line \(k + 2): not a row of this sweep (seed '\(r["seed"].prefix(40))'); accepted: a PREFIX-seeds.csv as written")
                }
            }
            guard table.rows.count == record.rows else {
                throw UserError("\(file): \(table.rows.count) rows, but its record says the sweep wrote \(record.rows); the CSV was cut or replaced: rerun that part")
            }
            rows += table.records
        }
        // Strategy order: as the sweeps write them (the same plan in every part), then seeds ascending.
        var order: [String: Int] = [:]
        for r in rows where order[r["strategy"]] == nil { order[r["strategy"]] = order.count }
        rows.sort { (order[$0["strategy"]]!, UInt64($0["seed"])!) < (order[$1["strategy"]]!, UInt64($1["seed"])!) }
        var staged = StagedFiles()
        do {
            try staged.stage(RowTable(file: output, header: NASJob.seedsHeader, rows: rows.map(\.fields)).csv, to: output)
            let record = NASJob.SeedsRecord(specPath: specPath, specFingerprint: fingerprint, options: options ?? "",
                                            seeds: seedOwner.keys.sorted(), rows: rows.count)
            try staged.stage(try JSONText.pretty(record) + "\n", to: output + ".run.json")
            try staged.commit(removingFirst: [])
        } catch let e as OutputError {
            staged.discard()
            throw UserError(e.description)
        }
        return rows.count
    }

    /// "i/N" as numbers, when 0 <= i < N.
    static func parseShard(_ s: String) -> (Int, Int)? {
        let parts = s.split(separator: "/").map { Int($0) }
        guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, i >= 0, i < n else { return nil }
        return (i, n)
    }

    /// A run's options with its shard left out (the part every shard of a run shares).
    static func withoutShard(_ options: String) -> String {
        var words = options.split(separator: " ").map(String.init)
        if let k = words.firstIndex(of: "shard"), k + 1 < words.count { words[k + 1] = "-" }
        return words.joined(separator: " ")
    }

    static func point(from row: [String], header: [String], templates: FPGATemplates) throws -> DesignPoint {
        let id = header.firstIndex(of: "id").map { row[$0] } ?? "?"
        guard let tc = header.firstIndex(of: "template"), let t = templates.named(row[tc]) else {
            throw UserError("row \(id): no known template; accepted: \(templates.acceptedNames)")
        }
        var p = DesignPoint(template: t, lanes: 1)
        for tk in t.descriptor.knobs {
            let k = tk.knob
            guard let c = header.firstIndex(of: k.rawValue) else { throw UserError("row \(id): no '\(k.rawValue)' column; accepted: a CSV written by 'intarsia search' (docs/CSV.md)") }
            let text = row[c]
            guard let v = tk.parse(text) else { throw UserError("row \(id): \(k.rawValue) '\(text)' is not accepted for \(t.rawValue); accepted: \(tk.accepted)") }
            p.set(k, v)
        }
        return p
    }
}
