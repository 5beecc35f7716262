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
        /// The FPGA templates the spec may name (its report reads the CSV back with them).
        public var templates = FPGATemplates.builtin
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
        let spec = try configuredSpec(specPath, options)
        let stageSplitFailures = FailureLog()
        var runner = SearchRunner(model: spec.solvingModel(stageSplitFailures: stageSplitFailures), space: spec.space,
                                  objectives: spec.objectives, settings: spec.search)
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
        let writer = try openWriter(spec, options: options, meta: meta, origin: origin, workers: runner.workers, stderr: stderr)
        Interruption.shared.onInterrupt("intarsia search interrupted; rows so far are kept in \(spec.outputPath).partial. Continue with:\n  intarsia \(CommandLine.arguments.dropFirst().map(shellWord).joined(separator: " "))\(options.resume ? "" : " --resume")\n")
        defer { Interruption.shared.onInterrupt(nil) }
        var tally = SearchTally(spec: spec)
        let summary = try search(runner, spec: spec, writer: writer, tally: &tally, progress: options.progress, stderr: stderr)
        for note in tally.notes { stderr(note) }
        for (reason, n) in stageSplitFailures.distinct {
            stderr("note: the stage balancer failed on \(n) stage split\(n == 1 ? "" : "s") (proportional or uniform split used): \(reason)\n")
        }
        let record = ReportJob.RunRecord(specPath: specPath, specText: specText, strategy: summary.strategy.rawValue,
                                         spaceSize: summary.spaceSize, evaluated: summary.evaluated, pruned: summary.pruned,
                                         feasible: summary.feasible, seconds: summary.seconds, specFingerprint: fnv1a(specText),
                                         options: meta, shard: shardText, rows: nil)
        try writeOutputs(spec, writer: writer, pareto: summary.pareto, record: record, report: options.report, templates: options.templates)
        writer.removeCheckpoint()
        let table = renderTop(tally.top, spec: spec, front: Set(summary.pareto.map(\.id)))
        let result = Result(spec: spec, summary: summary, outputPath: spec.outputPath, top: tally.top, table: table, writerSeconds: writer.secondsWriting,
                            writerBusySeconds: writer.writerBusySeconds)
        if summary.feasible == 0 { throw tally.noFeasibleDesign(summary) }
        return result
    }

    /// The spec with the command line's overrides.
    static func configuredSpec(_ specPath: String, _ options: Options) throws -> DesignSpec {
        var spec = try DesignSpec.load(path: specPath, templates: options.templates)
        if let o = options.output { spec.outputPath = o }
        if let p = options.paretoOnly { spec.paretoOnly = p }
        if let s = options.strategy { spec.search.strategy = s }
        if let b = options.budget { spec.search.budget = b }
        if let s = options.seed { spec.search.seed = s }
        return spec
    }

    /// The checkpointed CSV writer, resumed or started afresh, with what happened said on stderr.
    static func openWriter(_ spec: DesignSpec, options: Options, meta: String, origin: String, workers: Int,
                           stderr: (String) -> Void) throws -> CSVDesignWriter {
        do {
            let writer = try CSVDesignWriter(path: spec.outputPath, platform: spec.platform, constraints: spec.constraints, paretoOnly: spec.paretoOnly,
                                             meta: meta, resume: options.resume, workers: workers)
            if let after = writer.resumedAfterID { stderr("resuming \(spec.outputPath): \(writer.resumedRows) rows kept (ids up to \(after))\n") }
            else if options.resume { stderr("--resume: no checkpoint \(spec.outputPath).partial with rows; starting from the first design\n") }
            if writer.discardedCheckpoint { stderr("note: the checkpoint \(spec.outputPath).partial of an interrupted run was discarded (use --resume to continue one)\n") }
            return writer
        } catch let e as CSVDesignWriter.CannotResume {
            throw UserError(e.description)
        } catch let e as OutputError {
            throw UserError(e.description)
        } catch {
            throw UserError("\(origin): '\(spec.outputPath)': cannot be written (\(OutputPath.reason(error))); accepted: a writable file path")
        }
    }

    /// Runs the search: rows to the writer and the tally per batch, progress on a terminal.
    static func search(_ runner: SearchRunner, spec: DesignSpec, writer: CSVDesignWriter, tally: inout SearchTally, progress: Bool,
                       stderr: (String) -> Void) throws -> SearchSummary {
        var lastReport = Date.distantPast
        let started = Date()
        let summary: SearchSummary
        do {
            summary = try runner.run(sink: { batch in
                try writer.append(batch)
                tally.take(batch)
            }, progress: { done, total, front in
                guard progress, isatty(STDERR_FILENO) != 0 else { return }
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
        if progress && isatty(STDERR_FILENO) != 0 { stderr("\n") }
        return summary
    }

    /// The CSV, its run record, the plots and the report replaced together (StagedFiles): the
    /// previous run's derived files go first, so a kill never leaves them beside the new CSV.
    /// The record gets the CSV's row count once the final file is written.
    static func writeOutputs(_ spec: DesignSpec, writer: CSVDesignWriter, pareto: [EvaluatedDesign], record: ReportJob.RunRecord, report: Bool,
                             templates: FPGATemplates = .builtin) throws {
        var staged = StagedFiles()
        var record = record
        do {
            staged.stage(temp: try writer.finish(pareto: pareto), to: spec.outputPath)
            record.rows = writer.rowsWritten
            try staged.stage(try ReportJob.recordText(record), to: ReportJob.recordPath(spec.outputPath))
            if report {
                let (_, texts) = try ReportJob.render(csvData: staged.staged[0].temp, csv: spec.outputPath, record: record, templates: templates)
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
