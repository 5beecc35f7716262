import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaReports
import IntarsiaRows
import IntarsiaScheduler
import IntarsiaSearch
import IntarsiaSpec

/// `intarsia search`: explore a spec's design space and write the CSV.
public enum SearchJob {
    public struct Options {
        public var output: String?
        public var paretoOnly: Bool?
        public var strategy: Strategy?
        public var budget: Int?
        public var seed: UInt64?
        public var progress: Bool = true
        public var workers: Int?
        /// Write the SVG plots and the HTML report beside the CSV.
        public var report = true
        /// Continue an interrupted run of the same spec and options from its checkpoint.
        public var resume = false
        /// Run shard `index` of `count` (0-based); `intarsia merge` combines the shards' CSVs.
        /// Set through `setShard(_:)`, the one place the text `i/N` is checked.
        public internal(set) var shard: (index: Int, count: Int)?
        public init() {}
    }

    public struct Result {
        public var spec: DesignSpec
        public var summary: SearchSummary
        public var outputPath: String
        public var top: [EvaluatedDesign]
        public var table: String
        /// Wall time the search was held up by the CSV rows (waiting for the row queue, and the
        /// final pass), and the wall time the row queue spent formatting and writing beside it.
        public var writerSeconds: Double
        public var writerBusySeconds: Double
    }

    public static func run(specPath: String, options: Options, stderr: (String) -> Void) throws -> Result {
        var spec = try DesignSpec.load(path: specPath)
        if let o = options.output { spec.outputPath = o }
        if let p = options.paretoOnly { spec.paretoOnly = p }
        if let s = options.strategy { spec.search.strategy = s }
        if let b = options.budget { spec.search.budget = b }
        if let s = options.seed { spec.search.seed = s }
        let model = spec.solvingModel
        var runner = SearchRunner(model: model, space: spec.space, objectives: spec.objectives, settings: spec.search)
        if let w = options.workers { runner.workers = w }
        runner.shard = options.shard
        let specText = FileManager.default.contents(atPath: specPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let shardText = options.shard.map { "\($0.index)/\($0.count)" }
        let meta = "spec \(fnv1a(specText)) strategy \(spec.search.strategy.rawValue) budget \(spec.search.budget) seed \(spec.search.seed) "
            + "population \(spec.search.population) scheduler \(spec.search.scheduler.rawValue) shard \(shardText ?? "-") pareto \(spec.paretoOnly)"
        // The output protocol: the path checked and locked before any work.
        let origin = options.output != nil ? "-o" : "\(spec.file): output.path"
        do { try OutputPath.check(spec.outputPath, option: origin) } catch let e as OutputError { throw UserError(e.description) }
        let lock: OutputLock
        do { lock = try OutputLock(path: spec.outputPath) } catch let e as OutputError { throw UserError(e.description) }
        defer { lock.release() }
        let writer: CSVDesignWriter
        do {
            writer = try CSVDesignWriter(path: spec.outputPath, platform: spec.platform, constraints: spec.constraints, paretoOnly: spec.paretoOnly,
                                         meta: meta, resume: options.resume, workers: runner.workers)
            if let after = writer.resumedAfterID { stderr("resuming \(spec.outputPath): \(writer.resumedRows) rows kept (ids up to \(after))\n") }
            else if options.resume { stderr("--resume: no checkpoint \(spec.outputPath).partial with rows; starting from the first design\n") }
            if writer.discardedCheckpoint { stderr("note: the checkpoint \(spec.outputPath).partial of an interrupted run was discarded (use --resume to continue one)\n") }
        } catch let e as CSVDesignWriter.CannotResume {
            throw UserError(e.description)
        } catch let e as OutputError {
            throw UserError(e.description)
        } catch {
            throw UserError("\(origin): '\(spec.outputPath)': cannot be written (\(OutputPath.reason(error))); accepted: a writable file path")
        }
        Interruption.shared.onInterrupt("intarsia search interrupted; rows so far are kept in \(spec.outputPath).partial. Continue with:\n  intarsia \(CommandLine.arguments.dropFirst().map(shellWord).joined(separator: " "))\(options.resume ? "" : " --resume")\n")
        defer { Interruption.shared.onInterrupt(nil) }
        let first = spec.objectives[0]
        var top: [EvaluatedDesign] = []
        var violationCounts = [String: Int]()
        // `allocation: balanced` designs whose split is not a proven optimum, by state: count, first.
        var splitNotes: [LaneSplitStatus.State: (count: Int, first: String)] = [:]
        var closest: EvaluatedDesign?
        var lastReport = Date.distantPast
        let started = Date()
        let summary: SearchSummary
        do {
        summary = try runner.run(sink: { batch in
            try writer.append(batch)
            for d in batch {
                if let split = d.evaluation.laneSplit, split.state != .optimal {
                    if splitNotes[split.state] == nil { splitNotes[split.state] = (0, "design \(d.id): \(split)") }
                    splitNotes[split.state]!.count += 1
                }
                if d.evaluation.feasible {
                    if spec.top > 0, top.count < spec.top || first.cost(d.evaluation) < first.cost(top.last!.evaluation) {
                        let at = top.firstIndex { first.cost(d.evaluation) < first.cost($0.evaluation) } ?? top.count
                        top.insert(d, at: at)
                        if top.count > spec.top { top.removeLast() }
                    }
                } else {
                    for (flag, name) in Violations.named where d.evaluation.violations.contains(flag) { violationCounts[name, default: 0] += 1 }
                    if closest == nil || d.evaluation.violations.rawValue.nonzeroBitCount < closest!.evaluation.violations.rawValue.nonzeroBitCount {
                        closest = d
                    }
                }
            }
        }, progress: { done, total, front in
            guard options.progress, isatty(STDERR_FILENO) != 0 else { return }
            let now = Date()
            if now.timeIntervalSince(lastReport) > 0.5 || done >= total {
                lastReport = now
                let rate = Double(done) / max(now.timeIntervalSince(started), 1e-9)
                let eta = rate > 0 ? Double(max(total - done, 0)) / rate : 0
                stderr(String(format: "\rsearch %@: %d/%d designs, %.0f/s, ETA %.0f s, Pareto front %d   ", spec.name, done, total, rate, eta, front))
            }
        })
        } catch let e as SearchRunner.ShardingUnsupported {
            throw UserError("\(spec.file): search.strategy: \(e.description)")
        }
        if options.progress && isatty(STDERR_FILENO) != 0 { stderr("\n") }
        for state in [LaneSplitStatus.State.feasible, .fallback, .infeasible] {
            guard let n = splitNotes[state] else { continue }
            let what = state == .feasible ? "lane splits not proven optimal" : state == .fallback ? "lane splits the solver failed on (proportional split used)"
                : "balanced designs where no split fits the budgets (proportional split used)"
            stderr("note: \(n.count) \(what); first: \(n.first)\n")
        }
        // The CSV, its run record, the plots and the report replaced together (StagedFiles): the
        // previous run's derived files go first, so a kill never leaves them beside the new CSV.
        var staged = StagedFiles()
        do {
            staged.stage(temp: try writer.finish(pareto: summary.pareto), to: spec.outputPath)
            let record = ReportJob.RunRecord(specPath: specPath, specText: specText, strategy: summary.strategy.rawValue,
                                             spaceSize: summary.spaceSize, evaluated: summary.evaluated, pruned: summary.pruned,
                                             feasible: summary.feasible, seconds: summary.seconds, specFingerprint: fnv1a(specText),
                                             options: meta, shard: shardText, rows: writer.rowsWritten)
            try staged.stage(try ReportJob.recordText(record), to: ReportJob.recordPath(spec.outputPath))
            if options.report {
                let (_, texts) = try ReportJob.render(csvData: staged.staged[0].temp, csv: spec.outputPath, record: record)
                for (path, text) in texts { try staged.stage(text, to: path) }
            }
            try staged.commit(removingFirst: ReportJob.derivedFiles(spec.outputPath))
        } catch let e as OutputError {
            staged.discard()
            throw UserError(e.description)
        } catch {
            staged.discard()
            throw error
        }
        writer.removeCheckpoint()
        let table = renderTop(top, spec: spec, front: Set(summary.pareto.map(\.id)))
        let result = Result(spec: spec, summary: summary, outputPath: spec.outputPath, top: top, table: table, writerSeconds: writer.secondsWriting,
                            writerBusySeconds: writer.writerBusySeconds)
        if summary.feasible == 0 {
            var msg = "\(spec.file): constraints: no design of the \(summary.evaluated) evaluated"
            if summary.pruned > 0 { msg += " (and \(summary.pruned) pruned as provably infeasible)" }
            msg += " meets the constraints"
            if let (name, n) = violationCounts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
                msg += "; the binding one is \(name) (broken by \(n) designs)"
            }
            if let c = closest { msg += "; closest design: \(c.point.template.rawValue) lanes \(c.point.lanes): \(c.evaluation.violationText(platform: spec.platform, constraints: spec.constraints))" }
            else if summary.evaluated == 0 { msg += "; every design was pruned: its DSP or latency lower bound already breaks a constraint" }
            msg += ". Results so far are in \(spec.outputPath)"
            throw UserError(msg)
        }
        return result
    }

    /// One line of the top-N table: the design's rank, the design, and whether it is on the front.
    struct Ranked: Sendable {
        var rank: Int
        var design: EvaluatedDesign
        var pareto: Bool
    }

    /// The top-N table's columns (the terminal's summary of a search).
    static let topColumns = Columns<Ranked>([
        Column("rank") { String($0.rank) },
        Column("id") { String($0.design.id) },
        Column("template") { $0.design.point.template.rawValue },
        Column("lanes") { String($0.design.point.lanes) },
        Column("units") { $0.design.point.template.unitRule == .computeUnitsKnob ? String($0.design.point.computeUnits) : "-" },
        Column("stages") { String($0.design.evaluation.stages) },
        Column("schedule") { r in
            let e = r.design.evaluation
            return e.scheduleSpace.rawValue + (e.solverStatus == .optimal ? "" : " " + e.solverStatus.text)
        },
        Column("latency_cycles") { String(Int64($0.design.evaluation.latencyCycles.rounded(.up))) },
        Column("latency_ms") { Figures.fixed($0.design.evaluation.latencyMs, 4) },
        Column("dsp") { String($0.design.evaluation.dsp) },
        Column("bram18k") { String($0.design.evaluation.bram18k) },
        Column("uram") { String($0.design.evaluation.uram) },
        Column("power_w") { Figures.fixed($0.design.evaluation.powerW, 2) },
        Column("pareto") { $0.pareto ? "yes" : "" },
    ])

    static func renderTop(_ top: [EvaluatedDesign], spec: DesignSpec, front: Set<Int>) -> String {
        topColumns.table(top.enumerated().map { Ranked(rank: $0 + 1, design: $1, pareto: front.contains($1.id)) })
    }
}

/// A word as a POSIX shell reads it back (single-quoted unless plainly safe).
func shellWord(_ s: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
    if !s.isEmpty && s.allSatisfy(safe.contains) { return s }
    return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// FNV-1a, 64 bits: identifies a spec's text in a checkpoint (not for security).
func fnv1a(_ s: String) -> String { FNV1a(s).hex }
