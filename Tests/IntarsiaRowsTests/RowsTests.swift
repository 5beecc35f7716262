import Foundation
import Testing
@testable import IntarsiaRows

/// A row type for the tests: a name, a time in ms and a flag.
struct Run: Sendable {
    var name: String
    var ms: Double
    var ok: Bool
}

let runColumns = Columns<Run>([
    Column("name", "the run's name") { $0.name },
    Column("time_ms", "wall time, milliseconds") { Figures.significant($0.ms, 3) },
    Column("ok", "whether it succeeded") { Figures.flag($0.ok) },
])

@Suite struct ColumnsTests {
    let runs = [Run(name: "a,b", ms: 1234.5, ok: true), Run(name: "c", ms: 0.012345, ok: false)]

    @Test func csvHasTheHeaderThenOneQuotedLinePerRow() {
        // 1234.5 to 3 significant digits is 1230 (an integer, written without a fraction);
        // 0.012345 is 0.0123; "a,b" holds a comma, so it is quoted.
        #expect(runColumns.csv(runs) == "name,time_ms,ok\n\"a,b\",1230,true\nc,0.0123,false\n")
    }

    @Test func textTableAlignsTheFirstColumnLeftAndTheRestRight() {
        let expected = """
            name  time_ms     ok
            ----  -------  -----
            a,b      1230   true
            c      0.0123  false

            """
        #expect(runColumns.table(runs) == expected)
    }

    @Test func jsonKeysRowsByColumnName() throws {
        let back = try JSONSerialization.jsonObject(with: Data(try runColumns.json(runs).utf8)) as! [[String: String]]
        #expect(back == [["name": "a,b", "time_ms": "1230", "ok": "true"], ["name": "c", "time_ms": "0.0123", "ok": "false"]])
    }

    @Test func markdownListsEveryColumnWithItsMeaning() {
        #expect(runColumns.markdown == "| column | meaning |\n|---|---|\n| `name` | the run's name |\n| `time_ms` | wall time, milliseconds |\n| `ok` | whether it succeeded |\n")
    }

    @Test func figures() {
        #expect(Figures.number(42) == "42")
        #expect(Figures.number(2.5) == "2.5")
        #expect(Figures.significant(1234.5678, 6) == "1234.57")
        #expect(Figures.significant(-0.000123456, 2) == "-0.00012")
        #expect(Figures.fixed(2.0 / 3.0, 4) == "0.6667")
        #expect(Figures.significant(0, 6) == "0")
    }
}

@Suite struct RowTableTests {
    @Test func readsByColumnNameWhateverTheOrder() throws {
        let t = try RowTable(text: "ok,name\ntrue,\"x,y\"\nfalse,z\n", file: "runs.csv", required: ["name", "ok"], accepted: "a runs CSV")
        #expect(t.records.map { $0["name"] } == ["x,y", "z"])
        #expect(t.records.map { $0["ok"] } == ["true", "false"])
        #expect(t.value(t.rows[1], "name") == "z")
        #expect(t.records[0]["absent"] == "")
    }

    @Test func aMissingColumnIsNamedWithTheFileAndTheAcceptedList() {
        do {
            _ = try RowTable(text: "name\nx\n", file: "runs.csv", required: ["name", "ok"], accepted: "a runs CSV")
            Issue.record("a header without 'ok' was accepted")
        } catch let e as RowReadError {
            #expect(e.description == "runs.csv: column 'ok' missing from the header; accepted: a runs CSV (columns name, ok)")
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func aColumnTwiceOrARowOfTheWrongLengthIsRefused() {
        #expect(throws: RowReadError.self) { try RowTable(text: "a,a\n1,2\n", file: "f.csv", required: ["a"], accepted: "x") }
        do {
            _ = try RowTable(text: "a,b\n1,2\n3\n", file: "f.csv", required: ["a"], accepted: "x")
            Issue.record("a short row was accepted")
        } catch let e as RowReadError {
            #expect(e.description.hasPrefix("f.csv line 3: 1 fields, but the header has 2"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func aFileCutMidRowIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rows-cut-\(getpid()).csv").path
        try "a,b\n1,2\n3,".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: RowReadError.self) { try RowTable.read(path, required: ["a"], accepted: "x") }
    }

    @Test func csvQuotingRoundTrips() {
        let rows = [["a", "b,c", "say \"hi\""], ["", "x\ny", "3"]]
        let text = rows.map(CSV.line).joined(separator: "\n") + "\n"
        #expect(text == "a,\"b,c\",\"say \"\"hi\"\"\"\n,\"x\ny\",3\n")
        #expect(CSV.parse(text) == rows)
        var bytes: [UInt8] = []
        for r in rows { CSV.appendLine(r, to: &bytes) }
        #expect(String(decoding: bytes, as: UTF8.self) == text)
    }
}
