import Foundation
import Testing

/// `intarsia hls-check` as a user runs it: the table on a project with the hand-written reports
/// of Tests/IntarsiaHLSCheckTests/Fixtures, and exit 2 naming the file for bad reports.
@Suite struct HLSCheckCLITests {
    static let fixture = CLI.root.appendingPathComponent("Tests/IntarsiaHLSCheckTests/Fixtures/mlp-small-dataflow").path

    /// Emits designs/hls/mlp-small.yaml (dataflow) and puts the fixture reports where Vitis would.
    static func project() throws -> String {
        let dir = CLI.temp("hlscheck")
        let r = try CLI.run(["hls", "designs/hls/mlp-small.yaml", "--set", "template=dataflow", "--golden", "never", "-o", dir])
        #expect(r.status == 0, "\(r.stderr)")
        let solution = dir + "/proj_intarsia_top/solution1"
        try FileManager.default.createDirectory(atPath: solution, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture + "/syn", toPath: solution + "/syn")
        try FileManager.default.copyItem(atPath: fixture + "/sim", toPath: solution + "/sim")
        return dir
    }

    @Test func tableOnTheHandWrittenReports() throws {
        let dir = try Self.project()
        let r = try CLI.run(["hls-check", dir])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.contains("top intarsia_top intarsia_top latency_cycles 2236 2610 1.167"))
        #expect(lines.contains("task fc2 task_fc2 latency_cycles 844 1050 1.244"))
        let csv = try CLI.run(["hls-check", dir, "--format", "csv"])
        #expect(csv.stdout.hasPrefix("scope,task,module,figure,model,tool,ratio\ntop,intarsia_top,intarsia_top,latency_cycles,2236,2610,1.167\n"))
    }

    @Test func malformedReportExitsTwoNamingTheFile() throws {
        let dir = try Self.project()
        let file = dir + "/proj_intarsia_top/solution1/syn/report/task_fc3_csynth.xml"
        try "<profile>\n<ReportVersion><Version>2022.2</Version>\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["hls-check", dir])
        #expect(r.status == 2)
        #expect(r.stderr == "error: \(file): malformed XML at line 3: <ReportVersion> is never closed\n")
    }

    @Test func missingReportExitsTwoNamingTheFile() throws {
        let dir = try Self.project()
        let file = dir + "/proj_intarsia_top/solution1/syn/report/csynth.xml"
        try FileManager.default.removeItem(atPath: file)
        let r = try CLI.run(["hls-check", dir])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(file): no such file"), "\(r.stderr)")
    }

    @Test func missingFieldExitsTwoNamingFileAndField() throws {
        let dir = try Self.project()
        let file = dir + "/proj_intarsia_top/solution1/syn/report/task_relu1_csynth.xml"
        let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "<Worst-caseLatency>66</Worst-caseLatency>", with: "")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["hls-check", dir])
        #expect(r.status == 2)
        #expect(r.stderr == "error: \(file): missing field PerformanceEstimates/SummaryOfOverallLatency/Worst-caseLatency\n")
    }

    @Test func notAProjectAndBadFormat() throws {
        let r = try CLI.run(["hls-check", "/nonexistent-project"])
        #expect(r.status == 2)
        #expect(r.stderr == "error: /nonexistent-project/design.json: no such file; accepted: a project directory written by intarsia hls (it has design.json)\n")
        let f = try CLI.run(["hls-check", "/nonexistent-project", "--format", "xml"])
        #expect(f.status == 2)
        #expect(f.stderr == "error: --format 'xml': accepted: text, json, csv\n")
    }
}
