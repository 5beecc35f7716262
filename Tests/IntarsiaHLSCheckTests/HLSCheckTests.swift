import Foundation
import Testing
import IntarsiaDriver
import IntarsiaHLS

/// `intarsia hls-check` on designs/hls/mlp-small.yaml emitted with the dataflow template and the
/// hand-written reports of Fixtures/mlp-small-dataflow (README there).
struct HLSCheckTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A fresh project with the fixture reports where run_hls.tcl's Vitis run leaves them.
    static func project(cosim: Bool = true) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("intarsia-hlscheck-\(UUID().uuidString)").path
        var o = HLSJob.Options(specPath: root.appendingPathComponent("designs/hls/mlp-small.yaml").path, output: dir)
        o.sets = ["template=dataflow"]
        o.golden = .never
        _ = try HLSJob.run(o)
        let fm = FileManager.default
        let solution = dir + "/proj_intarsia_top/solution1"
        try fm.createDirectory(atPath: solution, withIntermediateDirectories: true)
        let fixture = ReportParsingTests.path("mlp-small-dataflow")
        try fm.copyItem(atPath: fixture + "/syn", toPath: solution + "/syn")
        if cosim { try fm.copyItem(atPath: fixture + "/sim", toPath: solution + "/sim") }
        return dir
    }

    static func cells(_ rows: [HLSCheckRow], _ task: String, _ figure: String) -> [String]? {
        let c = HLSCheckColumns.columns
        return rows.first { $0.task == task && $0.figure == figure }.map { Array(c.fields($0).suffix(3)) }
    }

    /// The model column is the model's own figures for the emitted design, as `intarsia evaluate`
    /// works them out from the spec (a path that never reads the emitted project's design.json).
    @Test func modelColumnIsWhatEvaluateGives() throws {
        let rows = try HLSCheckJob.rows(HLSCheckJob.Options(project: try Self.project()))
        let spec = Self.root.appendingPathComponent("designs/hls/mlp-small.yaml").path
        let e = try EvaluateJob.run(specPath: spec, template: nil, sets: ["template=dataflow"])
        let expected = ["latency_cycles": String(Int(e.latencyCycles.rounded())), "dsp": String(e.dsp),
                        "bram18k": String(e.bram18k), "uram": String(e.uram), "lut": String(e.lut), "ff": String(e.ff)]
        for (figure, value) in expected {
            #expect(Self.cells(rows, "intarsia_top", figure)?.first == value, "\(figure)")
        }
    }

    @Test func sideBySideTable() throws {
        let rows = try HLSCheckJob.rows(HLSCheckJob.Options(project: try Self.project()))
        // Top: the model's figures are design.json's (2235.59375 cycles, 18 DSP, 400 BRAM18K,
        // 128 URAM, 115627 LUT, 144134 FF); the tool's those of the hand-written csynth.xml.
        #expect(Self.cells(rows, "intarsia_top", "latency_cycles") == ["2236", "2610", "1.167"])  // 2610 / 2235.59375 = 1.16747
        #expect(Self.cells(rows, "intarsia_top", "ii_cycles") == ["-", "1131", "-"])  // the model states no interval
        #expect(Self.cells(rows, "intarsia_top", "dsp") == ["18", "22", "1.222"])  // 22 / 18
        #expect(Self.cells(rows, "intarsia_top", "bram18k") == ["400", "36", "0.090"])  // 36 / 400
        #expect(Self.cells(rows, "intarsia_top", "uram") == ["128", "0", "0.000"])
        #expect(Self.cells(rows, "intarsia_top", "lut") == ["115627", "14512", "0.126"])  // 0.12551
        #expect(Self.cells(rows, "intarsia_top", "ff") == ["144134", "16884", "0.117"])  // 0.11714
        #expect(Self.cells(rows, "intarsia_top", "cosim_latency_cycles") == ["2236", "2671", "1.195"])  // 2671 / 2235.59375 = 1.19476
        #expect(Self.cells(rows, "intarsia_top", "cosim_interval_cycles") == ["-", "-", "-"])  // NA in the report
        // Tasks: the model's busy cycles (intarsia evaluate's task table: fc1 1095, relu1 12, fc2
        // 844, relu2 16, fc3 1099, relu3 9) and DSPs (lanes 1, 11, 2 of int16: one DSP per lane).
        #expect(Self.cells(rows, "fc1", "latency_cycles") == ["1095", "1104", "1.008"])  // 1104 / 1095 = 1.00822
        #expect(Self.cells(rows, "relu1", "latency_cycles") == ["12", "66", "5.500"])
        #expect(Self.cells(rows, "fc2", "latency_cycles") == ["844", "1050", "1.244"])  // 1.24408
        #expect(Self.cells(rows, "relu2", "latency_cycles") == ["16", "130", "8.125"])
        #expect(Self.cells(rows, "fc3", "latency_cycles") == ["1099", "1160", "1.056"])  // 1.05551
        #expect(Self.cells(rows, "relu3", "latency_cycles") == ["9", "18", "2.000"])
        #expect(Self.cells(rows, "fc1", "dsp") == ["1", "1", "1.000"])
        #expect(Self.cells(rows, "fc2", "dsp") == ["11", "11", "1.000"])
        #expect(Self.cells(rows, "fc3", "dsp") == ["2", "2", "1.000"])
        #expect(Self.cells(rows, "relu1", "dsp") == ["-", "0", "-"])  // the model's SFUs are not per task
        #expect(Self.cells(rows, "fc2", "lut") == ["-", "3980", "-"])
        #expect(Self.cells(rows, "fc2", "ii_cycles") == ["-", "1051", "-"])
        // 9 top rows (7 figures and 2 co-simulation ones), 7 per task.
        #expect(rows.count == 9 + 6 * 7)
        #expect(rows.filter { $0.scope == "task" }.map(\.module).uniqued() == ["task_fc1", "task_relu1", "task_fc2", "task_relu2", "task_fc3", "task_relu3"])
    }

    @Test func sequentialTemplateHasNoTaskModules() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("intarsia-hlscheck-\(UUID().uuidString)").path
        var o = HLSJob.Options(specPath: Self.root.appendingPathComponent("designs/hls/mlp-small.yaml").path, output: dir)
        o.sets = ["template=sequential"]
        o.golden = .never
        _ = try HLSJob.run(o)
        let reports = dir + "/proj_intarsia_top/solution1/syn/report"
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ReportParsingTests.path("mlp-small-dataflow/syn/report/csynth.xml"), toPath: reports + "/csynth.xml")
        let rows = try HLSCheckJob.rows(HLSCheckJob.Options(project: dir))
        // One compute unit runs every task: no module and no tool figure per task.
        #expect(rows.filter { $0.scope == "task" }.allSatisfy { $0.module == "-" && $0.tool == nil })
        #expect(Self.cells(rows, "fc2", "dsp")?.suffix(2) == ["-", "-"])
        #expect(Self.cells(rows, "intarsia_top", "bram18k") == ["400", "36", "0.090"])
        try FileManager.default.copyItem(atPath: ReportParsingTests.path("mlp-small-dataflow/syn/report/task_fc1_csynth.xml"), toPath: reports + "/task_fc1_csynth.xml")
        #expect(Self.error(HLSCheckJob.Options(project: dir)) == "\(reports)/task_fc1_csynth.xml: module task_fc1 is not a task of this project; its task modules: none (only the dataflow template has a module per task)")
    }

    @Test func withoutCosimReportNoCosimRows() throws {
        let rows = try HLSCheckJob.rows(HLSCheckJob.Options(project: try Self.project(cosim: false)))
        #expect(!rows.contains { $0.figure.hasPrefix("cosim_") })
        #expect(rows.count == 7 + 6 * 7)
    }

    @Test func csvAndJSONCarryTheSameCells() throws {
        var o = HLSCheckJob.Options(project: try Self.project())
        o.format = .csv
        let csv = try HLSCheckJob.run(o)
        #expect(csv.hasPrefix("scope,task,module,figure,model,tool,ratio\n"))
        #expect(csv.contains("\ntask,fc2,task_fc2,latency_cycles,844,1050,1.244\n"))
        o.format = .json
        let json = try HLSCheckJob.run(o)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: String]])
        #expect(objects.contains { $0["task"] == "fc3" && $0["figure"] == "latency_cycles" && $0["ratio"] == "1.056" })
    }

    static func error(_ o: HLSCheckJob.Options) -> String? {
        do { _ = try HLSCheckJob.rows(o); return nil } catch { return "\(error)" }
    }

    @Test func missingTaskReportNamesTheFile() throws {
        let dir = try Self.project()
        let file = dir + "/proj_intarsia_top/solution1/syn/report/task_relu2_csynth.xml"
        try FileManager.default.removeItem(atPath: file)
        #expect(Self.error(HLSCheckJob.Options(project: dir)) == "\(file): no such file (Vitis HLS writes it with csynth_design; run the vendor flow first)")
    }

    @Test func reportOfAModuleTheProjectDoesNotHave() throws {
        let dir = try Self.project()
        let reports = dir + "/proj_intarsia_top/solution1/syn/report"
        try FileManager.default.copyItem(atPath: reports + "/task_fc3_csynth.xml", toPath: reports + "/task_fc4_csynth.xml")
        #expect(Self.error(HLSCheckJob.Options(project: dir)) == "\(reports)/task_fc4_csynth.xml: module task_fc4 is not a task of this project; its task modules: task_fc1, task_relu1, task_fc2, task_relu2, task_fc3, task_relu3")
    }

    @Test func reportOfAnotherModuleUnderATaskName() throws {
        let dir = try Self.project()
        let reports = dir + "/proj_intarsia_top/solution1/syn/report"
        try FileManager.default.removeItem(atPath: reports + "/task_fc1_csynth.xml")
        try FileManager.default.copyItem(atPath: reports + "/task_fc3_csynth.xml", toPath: reports + "/task_fc1_csynth.xml")
        #expect(Self.error(HLSCheckJob.Options(project: dir)) == "\(reports)/task_fc1_csynth.xml: reports module task_fc3; this project's report there is for task_fc1")
    }

    @Test func malformedTopReport() throws {
        let dir = try Self.project()
        let top = dir + "/proj_intarsia_top/solution1/syn/report/csynth.xml"
        try "<profile>\n<ReportVersion>\n</profile>\n".write(toFile: top, atomically: true, encoding: .utf8)
        #expect(Self.error(HLSCheckJob.Options(project: dir)) == "\(top): malformed XML at line 3: </profile> closes <ReportVersion>")
    }

    @Test func noReportsYet() throws {
        let dir = try Self.project()
        try FileManager.default.removeItem(atPath: dir + "/proj_intarsia_top")
        #expect(Self.error(HLSCheckJob.Options(project: dir)) == "\(dir)/proj_intarsia_top/solution1/syn/report: no synthesis reports there; run the vendor flow first (vitis_hls -f run_hls.tcl) or pass --reports DIR")
    }

    @Test func aChangedSpecIsRefused() throws {
        var o = HLSCheckJob.Options(project: try Self.project())
        o.parameters = ["size_divisor": 8]
        let e = try #require(Self.error(o))
        #expect(e.contains("design.json records 2236"), "\(e)")
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

struct HLSCheckDocsTests {
    @Test func docsListTheColumnsWordForWord() throws {
        let doc = try String(contentsOf: HLSCheckTests.root.appendingPathComponent("docs/HLS.md"), encoding: .utf8)
        #expect(doc.contains(HLSCheckColumns.columns.markdown))
    }
}
