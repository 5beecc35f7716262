import Foundation
import IntarsiaRows
import Testing
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaSearch
@testable import IntarsiaReports

@Suite struct CSVTests {
    @Test func everyColumnIsDocumented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/CSV.md"), encoding: .utf8)
        for name in DesignColumns.header {
            #expect(doc.contains("| `\(name)` |"), "docs/CSV.md does not document column \(name)")
        }
        // The table in docs/CSV.md is the column list's, word for word.
        let lines = doc.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: "| column | meaning |"))
        let table = lines[start...].prefix { $0.hasPrefix("|") }.map { $0 + "\n" }.joined()
        #expect(table == DesignColumns.markdown)
        for required in ["template", "lanes", "latency_cycles", "latency_ms", "dsp", "bram18k", "uram", "lut", "ff",
                         "offchip_bytes", "power_w", "energy_mj", "feasible", "violations", "pareto"] {
            #expect(DesignColumns.header.contains(required))
        }
    }

    func designs() -> [EvaluatedDesign] {
        let m = FPGAModel(workload: try! BuiltinWorkload.mlp.make(), platform: PlatformCatalog.u280)
        return [16, 64, 256].enumerated().map { i, l in
            let p = DesignPoint(template: i == 1 ? .dataflow : .sequential, lanes: l)
            return EvaluatedDesign(id: i, point: p, evaluation: m.evaluate(p))
        }
    }

    /// The streamed rows' byte writer (`DesignField.appendCSVLine` into a `ByteSink`) writes what
    /// the string path writes (`DesignColumns.fields` joined by `CSV.line`), for every template,
    /// feasible or not (a violation text with commas and quotes is quoted).
    @Test func theByteRowWriterWritesTheStringRows() {
        var limits = Constraints()
        limits.dspFraction = 0.001
        limits.maxLatencyMs = 1e-6
        let points = [DesignPoint(template: .dataflow, lanes: 64, allocation: .uniform), DesignPoint(template: .sequential, lanes: 16),
                      DesignPoint(template: .reconfigurable, lanes: 256, computeUnits: 2, weightLoad: .blocking)]
        for k in [Constraints(), limits] {
            let m = FPGAModel(workload: try! BuiltinWorkload.mlp.make(), platform: PlatformCatalog.u280, constraints: k)
            let rows = points.enumerated().map { EvaluatedDesign(id: $0, point: $1, evaluation: m.evaluate($1)) }
            #expect(rows.allSatisfy(\.evaluation.feasible) == (k == Constraints()))
            let bytes = ByteSink.collect(capacity: 8) { sink in
                for d in rows { DesignField.appendCSVLine(DesignRow(d, PlatformCatalog.u280, k), to: &sink) }
            }
            let text = rows.map { CSV.line(DesignColumns.fields($0, PlatformCatalog.u280, k)) + "\n" }.joined()
            #expect(String(decoding: bytes, as: UTF8.self) == text)
        }
        #expect(DesignField.order.count == DesignColumns.all.count)
    }

    @Test func writerStreamsThenMarksTheFrontAndRenamesAtomically() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("intarsia-\(UUID().uuidString)")
        let path = dir.appendingPathComponent("sub/out.csv").path
        let w = try CSVDesignWriter(path: path, platform: PlatformCatalog.u280, constraints: Constraints(), paretoOnly: false)
        let d = designs()
        try w.append(Array(d.prefix(2)))
        try w.append(Array(d.suffix(1)))
        #expect(!FileManager.default.fileExists(atPath: path))  // nothing at the destination until finished
        let temp = try w.finish(pareto: [d[2]])
        #expect(!FileManager.default.fileExists(atPath: path))  // the caller renames it into place
        #expect(FileManager.default.fileExists(atPath: path + ".partial"))  // and keeps the checkpoint until then
        try replace(path, with: temp)
        w.removeCheckpoint()
        #expect(w.rowsWritten == 3)
        let rows = CSV.parse(try String(contentsOfFile: path, encoding: .utf8))
        #expect(rows[0] == DesignColumns.header)
        #expect(rows.count == 4)
        #expect(rows.dropFirst().map { $0.last! } == ["false", "false", "true"])
        #expect(rows[2][1] == "dataflow" && rows[2][2] == "64")
        #expect(rows[1][3] == "")  // allocation is a dataflow knob; empty for sequential
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        try? FileManager.default.removeItem(at: dir)
    }

    @Test func comparisonRatiosAgainstTheBaseline() throws {
        let header = ["template", "lanes", "latency_cycles", "latency_ms", "dsp", "feasible", "bram18k", "uram", "power_w", "energy_mj"]
        let a = DesignTable(file: "a.csv", header: header, rows: [
            ["dataflow", "32", "200", "2", "36", "true", "1", "0", "1", "1"],
            ["dataflow", "32", "100", "1", "36", "true", "1", "0", "1", "1"],
            ["sequential", "32", "400", "4", "36", "true", "1", "0", "1", "1"],
            ["sequential", "32", "50", "0.5", "36", "false", "1", "0", "1", "1"],  // infeasible: ignored
        ])
        let rows = try Comparison.rows(tables: [a], metric: "latency_cycles", baseline: 1, lanes: nil)
        #expect(rows.map { $0[1] } == ["dataflow", "sequential"])
        #expect(rows.map(\.last!) == ["4.0000", "1.0000"])  // 400/100 and 400/400
        #expect(throws: DesignTable.ReadError.self) { try Comparison.rows(tables: [a], metric: "latency_cycles", baseline: 5, lanes: nil) }
        #expect(throws: DesignTable.ReadError.self) { try Comparison.rows(tables: [a], metric: "speed", baseline: 0, lanes: nil) }
    }

    @Test func hdvSummaryLinesUpTheTemplatesAtEachLaneBudget() throws {
        let header = ["template", "lanes", "weight_load", "latency_cycles", "stages", "dsp", "feasible"]
        let t = DesignTable(file: "results/mlp-u280.csv", header: header, rows: [
            ["dataflow", "32", "buffered", "300", "1", "40", "true"],
            ["sequential", "32", "buffered", "600", "4", "30", "true"],
            ["sequential", "32", "blocking", "900", "4", "30", "true"],
            ["reconfigurable", "32", "buffered", "200", "2", "35", "true"],
            ["dataflow", "64", "buffered", "150", "1", "70", "true"],  // no sequential or reconfigurable design at 64 lanes: no line
        ])
        let summary = HDVSummary.lines(tables: [t])
        #expect(summary.count == 1)
        let fields = Dictionary(uniqueKeysWithValues: zip(HDVSummary.header, HDVSummary.columns.fields(summary[0])))
        #expect(fields["kernel"] == "mlp-u280" && fields["lanes"] == "32")
        #expect(fields["reconfigurable_stages"] == "2" && fields["sequential_dsp"] == "30")
        // Speedups are the other design's cycles over the reconfigurable design's 200.
        #expect(fields["speedup_vs_dataflow"] == "1.500")
        #expect(fields["speedup_vs_sequential"] == "3.000")
        #expect(fields["sequential_blocking_cycles"] == "900" && fields["speedup_vs_sequential_blocking"] == "4.500")
    }
}
