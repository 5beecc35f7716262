import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaHLS
import IntarsiaReports
import IntarsiaSearch
import IntarsiaSpec

/// `intarsia hls`: a Vitis HLS project for one evaluated design.
public enum HLSJob {
    public struct Options: Sendable {
        public var specPath: String
        public var output: String
        public var sets: [String] = []
        /// A results CSV and a row in it: `rank` (1 = best feasible by `metric`) or `id`.
        public var csv: String?
        public var rank: Int?
        public var id: Int?
        public var metric = "latency_cycles"
        public var force = false
        public var seed: UInt64 = 1
        public var apTypes: String?
        public var fifoDepthOverrides: [String: Int] = [:]
        /// Built-in workload parameters to change (`size_divisor`, `sequence_length`).
        public var parameters: [String: Int] = [:]
        public var golden: Golden = .auto
        /// The FPGA templates the spec and a `--from` CSV may name, and their emitters.
        public var templates = FPGATemplates.builtin
        public var emitters = HLSEmitters.builtin
        public init(specPath: String, output: String) {
            self.specPath = specPath
            self.output = output
        }
    }

    public static let toolVersion = "0.6.0"

    /// Whether the testbench data (inputs, weights, golden outputs) is computed and written.
    public enum Golden: String, Sendable, CaseIterable {
        /// When the reference stays small: at most `autoMACLimit` MACs and `autoElementLimit`
        /// data elements (reduced sizes for C simulation); a full-size design is emitted for
        /// synthesis without it.
        case auto
        case always
        case never
        public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")
    }
    public static let autoMACLimit = 200_000_000
    public static let autoElementLimit = 20_000_000

    /// The knob settings of a results CSV row (the `rank`-th best feasible by `metric`, or the row
    /// with `id`), as `--set` strings; the row is read back by MergeJob's parser.
    static func sets(fromCSV path: String, rank: Int?, id: Int?, metric: String, templates: FPGATemplates = .builtin) throws -> [String] {
        let table: DesignTable
        do { table = try DesignTable.read(path, templates: templates) } catch let e as DesignTable.ReadError { throw UserError(e.description) }
        guard table.column("template") != nil else {
            throw UserError("\(path): not a design CSV of an FPGA search (no template column); accepted: docs/CSV.md")
        }
        let row: [String]
        if let id {
            guard let r = table.rows.first(where: { table.value($0, "id") == String(id) }) else { throw UserError("\(path): no row with id \(id)") }
            row = r
        } else {
            let k = rank ?? 1
            guard k >= 1 else { throw UserError("--rank \(k): accepted: 1 (the best) or more") }
            guard table.column(metric) != nil else {
                throw UserError("--metric '\(metric)': not a column of \(path); accepted: \(table.header.joined(separator: ", "))")
            }
            // Feasible rows by the metric, ties by id (file order for equal ids).
            var ranked: [(row: [String], value: Double, id: Int)] = []
            for r in table.rows where table.value(r, "feasible") == "true" {
                let v = table.number(r, metric)
                if v.isFinite { ranked.append((r, v, Int(table.value(r, "id")) ?? 0)) }
            }
            ranked.sort { $0.value != $1.value ? $0.value < $1.value : $0.id < $1.id }
            guard k <= ranked.count else { throw UserError("--rank \(k): \(path) has \(ranked.count) feasible design(s)") }
            row = ranked[k - 1].row
        }
        let p = try MergeJob.point(from: row, header: table.header, templates: templates)
        return ["template=\(p.template.rawValue)"] + Knob.knobs(of: p.template).map { "\($0.rawValue)=\(p.value(of: $0))" }
    }

    /// Why files cannot be written below `dir`: the first existing ancestor is not a directory or
    /// not writable; nil when neither.
    static func whyUnwritable(_ dir: URL) -> String? {
        var d = dir.standardizedFileURL
        var isDir: ObjCBool = false
        while !FileManager.default.fileExists(atPath: d.path, isDirectory: &isDir) {
            let parent = d.deletingLastPathComponent()
            if parent.path == d.path { return nil }
            d = parent
        }
        if !isDir.boolValue { return "\(d.path) is not a directory" }
        if !FileManager.default.isWritableFile(atPath: d.path) { return "\(d.path) is not writable" }
        return nil
    }

    public struct Result: Sendable {
        public var directory: String
        public var files: [String]
        public var summary: String
        /// Bytes of on-chip buffers the emitted code declares, and that the model counts.
        public var emittedBufferBytes = 0
        public var modelBufferBytes = 0
    }

    /// The project directory must be new, empty, or a project `intarsia hls` wrote before (it has
    /// design.json): `-o ''` or `-o .` must never overwrite a repository's README.md or Makefile.
    static func checkProjectDirectory(_ path: String) throws {
        guard !path.isEmpty else { throw UserError("-o '': an empty path; accepted: a directory for the project, e.g. out/mlp-df") }
        // The nearest existing ancestor must be a directory (else: '/dev/null/project').
        var ancestor = URL(fileURLWithPath: path).standardized.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: ancestor.path) && ancestor.path != "/" { ancestor.deleteLastPathComponent() }
        var isAncestorDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isAncestorDir), !isAncestorDir.boolValue {
            throw UserError("-o \(path): cannot write the project there (\(ancestor.path) is not a directory); accepted: a directory that can be created and written")
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return }
        guard isDir.boolValue else { throw UserError("-o '\(path)': is a file; accepted: a directory for the project (new, empty, or written by intarsia hls)") }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw UserError("-o '\(path)': the directory cannot be listed (\(OutputPath.reason(error))); accepted: a readable directory (new, empty, or written by intarsia hls)")
        }
        if !entries.isEmpty && !entries.contains("design.json") {
            throw UserError("-o '\(path)': an existing directory with other files (\(entries.sorted().prefix(3).joined(separator: ", "))\(entries.count > 3 ? ", ..." : "")) that the project would overwrite; accepted: a new or empty directory, or a project directory intarsia hls wrote (it has design.json)")
        }
    }

    public static func run(_ o: Options) throws -> Result {
        if ASICJob.isASIC(o.specPath) {
            throw UserError("\(o.specPath): an ASIC spec; intarsia hls emits FPGA designs (specs with templates: \(o.templates.acceptedNames))")
        }
        var spec = try DesignSpec.load(path: o.specPath, templates: o.templates)
        if !o.parameters.isEmpty { spec = try spec.withParameters(o.parameters) }
        try checkProjectDirectory(o.output)
        // The lock file sits beside the project (`out/mlp.lock`): its parent is made first, as
        // the project directory itself will be (`-o out/mlp` on a fresh clone has no `out/`).
        let parent = URL(fileURLWithPath: o.output).standardized.deletingLastPathComponent().path
        do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw UserError("-o '\(o.output)': its parent directory \(parent) cannot be created (\(OutputPath.reason(error))); accepted: a path in a writable directory")
        }
        let lock: OutputLock
        do { lock = try OutputLock(path: URL(fileURLWithPath: o.output).standardized.path) } catch let e as OutputError { throw UserError(e.description) }
        defer { lock.release() }
        var sets = o.sets
        if let csv = o.csv {
            // A CSV of another spec would be re-priced as this spec's workload: its run record
            // (when beside it) must name this spec's text.
            if FileManager.default.fileExists(atPath: ReportJob.recordPath(csv)) {
                let record = try ReportJob.readRecord(csv: csv)
                let text = FileManager.default.contents(atPath: o.specPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
                if let f = record.specFingerprint, f != fnv1a(text) {
                    throw UserError("--from \(csv): written from another spec (\(record.specPath)) than \(o.specPath) (its run record's spec fingerprint differs); accepted: a results CSV of \(o.specPath)")
                }
            }
            sets = try Self.sets(fromCSV: csv, rank: o.rank, id: o.id, metric: o.metric, templates: o.templates) + sets
        }
        let point = try EvaluateJob.point(spec: spec, template: nil, sets: sets, templates: o.templates)
        var recorder = BreakdownRecorder()
        let evaluation = spec.solvingModel.evaluate(point, recorder: &recorder)
        if !evaluation.feasible && !o.force {
            throw UserError("\(o.specPath): the model marks this design infeasible (\(evaluation.violationText(platform: spec.platform, constraints: spec.constraints))); pass --force to emit it anyway")
        }
        let program: HLSProgram
        do { program = try HLSProgram(spec.workload) } catch let e as HLSProgram.Unsupported {
            throw UserError("\(o.specPath): cannot emit \(spec.workload.name): \(e.description)")
        }
        var options = HLSDesign.Options()
        options.fifoDepthOverrides = o.fifoDepthOverrides
        let design = HLSDesign(program: program, workload: spec.workload, point: point, platform: spec.platform, evaluation: evaluation,
                               tasks: recorder.tasks, options: options)
        if let overflow = design.bufferOverflow, !o.force {
            throw UserError("\(o.specPath): the emitted design's on-chip buffers do not fit \(spec.platform.part) (\(overflow)); pass --force to emit it anyway")
        }
        let streamNames = Set(design.streams.map(\.name))
        for name in o.fifoDepthOverrides.keys.sorted() where !streamNames.contains(name) {
            let accepted = design.streaming ? design.streams.map(\.name).joined(separator: ", ") : "none (only the dataflow template has FIFOs)"
            throw UserError("--fifo-depth '\(name)': no such stream in this design; accepted: \(accepted)")
        }
        let dataElements = program.graphInputElements + program.steps.reduce(0) { $0 + $1.weightElements }
            + program.sinks.reduce(0) { $0 + program.steps[$1].outputElements }
        let macs = spec.workload.tasks.reduce(0) { $0 + $1.op.macs }
        let withData = o.golden == .always || (o.golden == .auto && macs <= autoMACLimit && dataElements <= autoElementLimit)
        var context = ProjectWriter.Context(specFile: o.specPath, workloadName: spec.workload.name, toolVersion: toolVersion, seed: o.seed,
                                            apTypes: APTypesLocator.resolve(explicit: o.apTypes),
                                            violations: evaluation.violationText(platform: spec.platform, constraints: spec.constraints))
        context.goldenData = withData
        context.repetitions = spec.workload.repetitions
        let dir = URL(fileURLWithPath: o.output)
        let files: [String]
        do { files = try ProjectWriter.write(design, context: context, to: dir, emitters: o.emitters) } catch let e as HLSProgram.Unsupported {
            throw UserError("\(o.specPath): cannot emit \(spec.workload.name): \(e.description)")
        } catch let e as CocoaError {
            throw UserError("-o \(o.output): cannot write the project there (\(Self.whyUnwritable(dir) ?? "error \(e.code.rawValue)")); accepted: a directory that can be created and written")
        }
        var s = "wrote \(files.count) files to \(o.output): \(spec.workload.name), \(point.template.rawValue) template"
        s += ", " + Knob.knobs(of: point.template).map { "\($0.rawValue)=\(point.value(of: $0))" }.joined(separator: " ") + "\n"
        s += "predicted \(String(format: "%.0f", evaluation.latencyCycles)) cycles (\(String(format: "%.4g", evaluation.latencyMs)) ms), dsp \(evaluation.dsp), bram18k \(evaluation.bram18k), uram \(evaluation.uram)"
        s += evaluation.feasible ? "\n" : "; INFEASIBLE, emitted with --force\n"
        if withData {
            s += "check it: cd \(o.output) && make csim\n"
        } else {
            s += "no testbench data (\(macs) MACs, \(dataElements) data elements: a full-size design for synthesis); emit at reduced sizes (size_divisor) for C simulation, or pass --golden always\n"
        }
        s += "on-chip buffers: \(design.emittedBufferBytes) bytes declared, \(design.modelBufferBytes) counted by the model (README.md lists both)\n"
        return Result(directory: o.output, files: files, summary: s, emittedBufferBytes: design.emittedBufferBytes,
                      modelBufferBytes: design.modelBufferBytes)
    }
}
