import Foundation
import Testing
@testable import IntarsiaReports

/// The report's one-pass CSV read and its plot thinning.
struct StreamingReadTests {
    @Test func scanVisitsEveryRowOnceAcrossChunksAndQuotedNewlines() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // 300,000 rows (several 1 MiB chunks), one quoted field with a comma and a newline.
        var text = "id,latency_cycles,latency_ms,feasible,violations\n"
        text += "0,10,0.1,false,\"dsp 9 > 8, lut\nwrapped\"\n"
        for i in 1..<300_000 { text += "\(i),\(i * 2),0.5,true,\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var count = 0, sum = 0
        var first: [String] = []
        let t = try DesignTable.scan(path) { t, r in
            if count == 0 { first = r }
            count += 1
            sum += Int(t.value(r, "latency_cycles")) ?? 0
        }
        #expect(t.header == ["id", "latency_cycles", "latency_ms", "feasible", "violations"] && t.rows.isEmpty)
        #expect(count == 300_000)
        #expect(sum == 10 + 2 * (299_999 * 300_000 / 2))
        #expect(first[4] == "dsp 9 > 8, lut\nwrapped")
    }

    @Test func scanRejectsAHeaderWithoutTheRequiredColumns() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scan-bad-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "a,b\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: DesignTable.ReadError.self) { try DesignTable.scan(path) { _, _ in } }
    }

    @Test func thinningKeepsTheFrontAndAnEvenSample() {
        let points: [SVGPlot.Point] = (0..<10).map { (x: Double($0), y: 0, feasible: true, front: $0 == 4 || $0 == 9, id: $0) }
        // Room for 3 of the 8 others (ids 0 1 2 3 5 6 7 8): every 3rd of them, the 0th, 3rd and
        // 6th (ids 0, 3, 7), and both front points.
        let kept = SVGPlot.thinned(points, atMost: 5)
        #expect(Set(kept.map(\.id)) == [4, 9, 0, 3, 7])
        #expect(SVGPlot.thinned(points, atMost: 10).count == 10)
        #expect(Set(SVGPlot.thinned(points, atMost: 1).map(\.id)) == [4, 9])  // the front is never cut
    }
}
