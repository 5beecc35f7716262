import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaHLS
import IntarsiaRows
import IntarsiaSpec

/// `intarsia hls-check DIR`: reads the Vitis HLS reports of a project `intarsia hls` wrote and
/// lines the model's figures up beside the tool's, per task module and for the top
/// (docs/HLS.md, "Reading the vendor reports back").
public enum HLSCheckJob {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, csv
        public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")
    }

    public struct Options: Sendable {
        public var project: String
        /// The spec to re-evaluate; default: the one design.json names.
        public var specPath: String?
        /// Built-in workload parameters the project was emitted with (`--param` of `intarsia hls`).
        public var parameters: [String: Int] = [:]
        /// Where the csynth.xml files are; default: `proj_<top>/solution1/syn/report` in the project.
        public var reportDirectory: String?
        public var format: Format = .text
        public init(project: String) { self.project = project }
    }

    /// The parts of design.json the check reads (ProjectWriter.DesignRecord writes them).
    struct DesignFile: Decodable {
        struct Task: Decodable { var name: String }
        var top: String
        var spec: String
        var design: [String: String]
        var predicted: [String: Double]
        var tasks: [Task]
    }

    static func readDesign(_ project: String) throws -> DesignFile {
        let path = (project as NSString).appendingPathComponent("design.json")
        let data: Data
        do throws(InputFile.Unreadable) { data = try InputFile.read(path) } catch {
            throw UserError("\(error); accepted: a project directory written by intarsia hls (it has design.json)")
        }
        do { return try JSONDecoder().decode(DesignFile.self, from: data) } catch {
            throw UserError("\(path): not a design.json written by intarsia hls (\(error))")
        }
    }

    /// The model's evaluation of the project's design, re-done from its spec and knobs, and the
    /// spec's workload. Refuses when it no longer gives the latency design.json recorded.
    static func model(_ d: DesignFile, _ o: Options) throws -> (Evaluation, BreakdownRecorder, Workload, FPGAPlatform) {
        let specPath = o.specPath ?? d.spec
        guard FileManager.default.fileExists(atPath: specPath) else {
            throw UserError("\(specPath): the spec named in \(o.project)/design.json is not there (relative to this directory); pass --spec FILE")
        }
        var spec = try DesignSpec.load(path: specPath)
        if !o.parameters.isEmpty { spec = try spec.withParameters(o.parameters) }
        let sets = d.design.keys.sorted().map { "\($0)=\(d.design[$0]!)" }
        let point = try EvaluateJob.point(spec: spec, template: nil, sets: sets)
        var recorder = BreakdownRecorder()
        let e = spec.solvingModel.evaluate(point, recorder: &recorder)
        guard let recorded = d.predicted["latency_cycles"] else {
            throw UserError("\(o.project)/design.json: no predicted latency_cycles; accepted: a design.json written by intarsia hls")
        }
        guard abs(e.latencyCycles - recorded) <= 1e-9 * max(1, abs(recorded)) else {
            throw UserError("\(specPath): gives \(String(format: "%.0f", e.latencyCycles)) cycles for this design, \(o.project)/design.json records \(String(format: "%.0f", recorded)): the spec or its parameters changed since the project was written; pass the spec and --param values it was emitted with")
        }
        return (e, recorder, spec.workload, spec.platform)
    }

    /// Every row of the check, top first, then the tasks in design.json's order.
    public static func rows(_ o: Options) throws -> [HLSCheckRow] {
        let d = try readDesign(o.project)
        let reports = o.reportDirectory ?? ProjectModules.reportDirectory(project: o.project, top: d.top)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: reports, isDirectory: &isDir), isDir.boolValue else {
            throw UserError("\(reports): no synthesis reports there; run the vendor flow first (vitis_hls -f run_hls.tcl) or pass --reports DIR")
        }
        let dataflow = d.design["template"] == TemplateKind.dataflow.rawValue
        let taskModules = dataflow ? d.tasks.map { ProjectModules.taskModule($0.name) } : []
        try checkNoStrangers(reports, taskModules: taskModules)
        let top = try read(reports + "/csynth.xml", module: d.top)
        let (e, recorder, workload, platform) = try model(d, o)
        let cosimPath = ProjectModules.cosimReport(reportDirectory: reports, top: d.top)
        let cosim = FileManager.default.fileExists(atPath: cosimPath) ? try readCosim(cosimPath) : nil
        var rows = topRows(d, top, e, repetitions: workload.repetitions, cosim: cosim)
        for (i, t) in d.tasks.enumerated() {
            let module = dataflow ? taskModules[i] : "-"
            let report = dataflow ? try read(ProjectModules.reportFile(reportDirectory: reports, module: module), module: module) : nil
            let modelFigures = taskModel(t.name, recorder, workload, platform)
            for f in HLSCheckRow.figures {
                rows.append(HLSCheckRow(scope: "task", task: t.name, module: module, figure: f, model: modelFigures[f], tool: report.flatMap { toolFigure($0, f) }))
            }
        }
        return rows
    }

    static func read(_ path: String, module: String) throws -> CSynthReport {
        let r: CSynthReport
        do { r = try CSynthReport.read(path: path) } catch let e as CSynthReport.ReadError { throw UserError(e.description) }
        guard r.topModelName == module else {
            throw UserError("\(path): reports module \(r.topModelName); this project's report there is for \(module)")
        }
        return r
    }

    static func readCosim(_ path: String) throws -> CosimReport {
        do { return try CosimReport.read(path: path) } catch let e as CSynthReport.ReadError { throw UserError(e.description) }
    }

    /// A `task_*_csynth.xml` report of a module the project does not have (another project's, or
    /// a task renamed since) is refused. Vitis' own sub-modules of a task (`task_fc1_Pipeline_...`)
    /// are accepted.
    static func checkNoStrangers(_ reports: String, taskModules: [String]) throws {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: reports) } catch {
            throw UserError("\(reports): cannot list the reports (\(error.localizedDescription))")
        }
        for file in names.sorted() where file.hasPrefix("task_") && file.hasSuffix("_csynth.xml") {
            let module = String(file.dropLast("_csynth.xml".count))
            if !taskModules.contains(where: { module == $0 || module.hasPrefix($0 + "_") }) {
                let known = taskModules.isEmpty ? "none (only the dataflow template has a module per task)" : taskModules.joined(separator: ", ")
                throw UserError("\(reports)/\(file): module \(module) is not a task of this project; its task modules: \(known)")
            }
        }
    }

    static func toolFigure(_ r: CSynthReport, _ figure: String) -> Double? {
        switch figure {
        case "latency_cycles": return r.worstLatencyCycles
        case "ii_cycles": return r.intervalMaxCycles
        case "dsp": return r.dsp
        case "bram18k": return r.bram18k
        case "uram": return r.uram
        case "lut": return r.lut
        case "ff": return r.ff
        default: return nil
        }
    }

    /// The top's rows: the model's whole-design figures (design.json's, which `model` checked).
    /// With repetitions > 1 the model's latency covers every repetition and the kernel one, so
    /// it is not compared.
    static func topRows(_ d: DesignFile, _ r: CSynthReport, _ e: Evaluation, repetitions: Int, cosim: CosimReport?) -> [HLSCheckRow] {
        let latency: Double? = repetitions == 1 ? e.latencyCycles : nil
        let model: [String: Double] = ["latency_cycles": latency ?? .nan, "dsp": Double(e.dsp), "bram18k": Double(e.bram18k),
                                       "uram": Double(e.uram), "lut": Double(e.lut), "ff": Double(e.ff)]
        var rows = HLSCheckRow.figures.map {
            HLSCheckRow(scope: "top", task: d.top, module: d.top, figure: $0, model: model[$0].flatMap { $0.isNaN ? nil : $0 }, tool: toolFigure(r, $0))
        }
        if let c = cosim {
            rows.append(HLSCheckRow(scope: "top", task: d.top, module: d.top, figure: "cosim_latency_cycles", model: latency, tool: c.latencyAvgCycles))
            rows.append(HLSCheckRow(scope: "top", task: d.top, module: d.top, figure: "cosim_interval_cycles", model: nil, tool: c.intervalAvgCycles))
        }
        return rows
    }

    /// What the model states per task: the cycles its unit is busy (the stage model's busy
    /// cycles, one repetition) and, for a MAC task, its DSPs (lanes × DSPs per MAC of its
    /// number formats, rounded up, as the stage model charges them). Nothing else is per task.
    static func taskModel(_ name: String, _ rec: BreakdownRecorder, _ w: Workload, _ p: FPGAPlatform) -> [String: Double] {
        var f: [String: Double] = [:]
        guard let r = rec.tasks.first(where: { $0.task == name }) else { return f }
        if w.repetitions == 1 { f["latency_cycles"] = r.busyCycles }
        if r.lanes > 0, let t = w.tasks.first(where: { $0.name == name }) {
            f["dsp"] = (Double(r.lanes) * p.dspPerMAC(t.dataType, weights: t.weightDataType)).rounded(.up)
        }
        return f
    }

    /// The check in the chosen format: a heading and an aligned table, JSON or CSV.
    public static func run(_ o: Options) throws -> String {
        let rows = try rows(o)
        let c = HLSCheckColumns.columns
        switch o.format {
        case .csv: return c.csv(rows)
        case .json: return try c.json(rows) + "\n"
        case .text:
            return "model (intarsia) beside tool (Vitis HLS reports) for \(o.project); ratio = tool / model\n" + c.table(rows)
        }
    }
}
