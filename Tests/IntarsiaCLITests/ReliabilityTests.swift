import Foundation
import IntarsiaRows
import Testing
@testable import IntarsiaDriver
import IntarsiaReports

/// Issue 14: nothing lost, nothing silently wrong. Each test reproduces one reported failure
/// with the built binary and checks the behaviour worked out from the issue, not the code.
extension CLI {
    /// Runs the binary with a time cap; a run past it is killed and reported as status -1.
    static func run(_ args: [String], within seconds: Double) throws -> Output {
        let bin = try #require(binary, "the intarsia executable was not built beside the tests")
        let p = Process()
        p.executableURL = bin
        p.arguments = args
        p.currentDirectoryURL = root
        let outFile = temp("stdout"), errFile = temp("stderr")
        FileManager.default.createFile(atPath: outFile, contents: nil)
        FileManager.default.createFile(atPath: errFile, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outFile))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
        try p.run()
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        var timedOut = false
        if p.isRunning { timedOut = true; kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        let o = (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? ""
        let e = (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? ""
        // -1: killed at the time cap; 1000 + n: ended by signal n.
        let status = timedOut ? -1 : (p.terminationReason == .uncaughtSignal ? 1000 + p.terminationStatus : p.terminationStatus)
        return Output(status: status, stdout: o, stderr: e)
    }

    /// A spec whose exhaustive search takes a few seconds in a debug build (24,000 designs).
    static func slowSpec() throws -> String {
        let spec = temp("slow.yaml")
        try """
        workload: {builtin: gpt2-medium-block, parameters: {sequence_length: 256}}
        platform: u280
        templates:
          dataflow:
            lanes: [\((1...40).map { String($0 * 64) }.joined(separator: ", "))]
            allocation: [proportional, uniform]
            weight_load: [double_buffered, buffered, blocking]
            word_bits: [128, 256, 512, 1024]
            stream_elements: [0, 1, 4, 16, 64]
            matvec: [dot, outer, auto]
        search: {strategy: exhaustive, budget: 100000}
        """.write(toFile: spec, atomically: true, encoding: .utf8)
        return spec
    }

    /// Starts a search in the background and waits until its checkpoint has rows.
    static func startSearch(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = binary!
        p.arguments = args
        p.currentDirectoryURL = root
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let out = args[args.firstIndex(of: "-o")! + 1]
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && p.isRunning {
            let size = (try? FileManager.default.attributesOfItem(atPath: out + ".partial")[.size] as? Int) ?? 0
            if size > 0 { break }
            usleep(20_000)
        }
        return p
    }
}

@Suite(.serialized) struct ReliabilityTests {
    // MARK: crash and hang

    /// `--shard 0/Int.max` overflowed computing the shard's size (SIGILL). The mlp spec has 416
    /// designs, so shard i of a huge N holds exactly design i when i < 416, and none otherwise.
    @Test func aHugeShardCountRunsTheOneDesignItHolds() throws {
        let out = CLI.temp("huge.csv")
        let r = try CLI.run(["search", "designs/intar/mlp-u280.yaml", "--shard", "5/9223372036854775807", "-o", out, "-q", "--no-report"], within: 60)
        #expect(r.status == 0, "\(r.stderr)")
        let rows = CSV.parse(try String(contentsOfFile: out, encoding: .utf8))
        #expect(rows.count == 2 && rows[1][0] == "5")
        let none = try CLI.run(["search", "designs/intar/mlp-u280.yaml", "--shard", "9223372036854775806/9223372036854775807", "-o", CLI.temp("none.csv"), "-q", "--no-report"], within: 60)
        #expect(none.status == 2 && none.stderr.contains("no design of the 0 evaluated"), "\(none.stderr)")
        let over = try CLI.run(["search", "designs/intar/mlp-u280.yaml", "--shard", "0/9223372036854775808", "-q"], within: 60)
        #expect(over.status == 2 && over.stderr.contains("--shard"))
    }

    /// `bench --seconds inf` (or 1e12) never returned and `nan` was accepted.
    @Test func benchRefusesSecondsThatNeverEnd() throws {
        for s in ["inf", "1e12", "nan", "0", "-1", "3601"] {
            let r = try CLI.run(["bench", "designs/intar/mlp-u280.yaml", "--seconds", s], within: 20)
            #expect(r.status == 2, "--seconds \(s): \(r.status)")
            #expect(r.stderr.contains("--seconds") && r.stderr.contains("accepted"), "\(r.stderr)")
        }
    }

    // MARK: output protocol

    /// `-o DIR` and `-o ''` used to run the whole search and then fail with NSCocoaErrorDomain,
    /// leaving the rows in an unmentioned DIR.tmp. Now: exit 2 at once, nothing written.
    @Test func anOutputThatIsADirectoryIsRefusedBeforeAnyWork() throws {
        let dir = CLI.temp("outdir")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let spec = try CLI.slowSpec()
        let started = Date()
        let r = try CLI.run(["search", spec, "-o", dir, "-q"], within: 60)
        #expect(r.status == 2 && r.stderr.contains(dir) && r.stderr.contains("directory"), "\(r.stderr)")
        #expect(Date().timeIntervalSince(started) < 5, "refused before the search ran")
        #expect(!r.stderr.contains("Domain"))
        #expect(!FileManager.default.fileExists(atPath: dir + ".tmp") && !FileManager.default.fileExists(atPath: dir + ".partial"))
        let empty = try CLI.run(["search", spec, "-o", "", "-q"], within: 60)
        #expect(empty.status == 2 && empty.stderr.contains("empty path"), "\(empty.stderr)")
        for cmd in [["merge", "designs/intar/mlp-u280.yaml", "results/mlp-u280.csv", "-o", dir],
                    ["compare", "results/mlp-u280.csv", "-o", dir],
                    ["summary", "results/mlp-u280.csv", "-o", dir]] {
            let c = try CLI.run(cmd, within: 60)
            #expect(c.status == 2 && c.stderr.contains(dir) && !c.stderr.contains("Domain"), "\(cmd[0]): \(c.stderr)")
        }
    }

    /// Two searches with the same `-o` shared PATH.partial and PATH.tmp and mixed their rows.
    /// Now the second fails at once naming the first's pid; once the first is gone (even killed),
    /// the path is free again.
    @Test func aSecondRunOnTheSameOutputFailsAtOnceNamingTheFirst() throws {
        let spec = try CLI.slowSpec()
        let out = CLI.temp("locked.csv")
        let first = try CLI.startSearch(["search", spec, "-o", out, "-q", "--jobs", "1"])
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() } }
        #expect(first.isRunning, "the first search is still running")
        let second = try CLI.run(["search", "designs/intar/mlp-u280.yaml", "-o", out, "-q"], within: 30)
        #expect(second.status == 2)
        #expect(second.stderr.contains("pid \(first.processIdentifier)"), "\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out), "the second run wrote nothing")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let third = try CLI.run(["search", "designs/intar/mlp-u280.yaml", "-o", out, "-q", "--no-report"], within: 60)
        #expect(third.status == 0, "a killed run leaves no lock behind: \(third.stderr)")
        #expect(CSV.parse(try String(contentsOfFile: out, encoding: .utf8)).count == 417)  // mlp: 416 designs + header
        #expect(!FileManager.default.fileExists(atPath: out + ".lock"))
    }

    /// A checkpoint whose last complete line had no numeric id was resumed from zero and appended
    /// to (every id twice, exit 0). Now a damaged line is refused naming it, and the checkpoint
    /// is left as it was.
    @Test func aDamagedCheckpointIsRefusedNotRestartedInto() throws {
        let spec = try CLI.slowSpec()
        let out = CLI.temp("damaged.csv")
        let p = try CLI.startSearch(["search", spec, "-o", out, "-q", "--jobs", "1"])
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let partial = out + ".partial"
        var text = try String(contentsOfFile: partial, encoding: .utf8)
        if let cut = text.lastIndex(of: "\n") { text = String(text[...cut]) }
        let good = text.split(separator: "\n").count
        #expect(good > 0)
        for damage in ["x,1,2\n", "oops\n", text.split(separator: "\n")[0] + "\n"] {  // text, too few fields, an id again
            try (text + damage).write(toFile: partial, atomically: true, encoding: .utf8)
            let r = try CLI.run(["search", spec, "-o", out, "-q", "--resume", "--jobs", "1"], within: 120)
            #expect(r.status == 2, "\(damage): \(r.stderr)")
            #expect(r.stderr.contains("\(partial) line \(good + 1)") && r.stderr.contains("damaged"), "\(r.stderr)")
            #expect(try String(contentsOfFile: partial, encoding: .utf8) == text + damage, "the checkpoint is kept as it was")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    /// A kill during the report phase left the new CSV beside the previous run's HTML and SVG.
    /// The CSV and everything derived from it are replaced together: whatever report files sit
    /// beside a CSV were made from it. Here the previous run's files are planted (a report of
    /// another spec), and a run with --no-report must not leave them beside its new CSV.
    @Test func aNewCSVNeverSitsBesideThePreviousRunsReport() throws {
        let out = CLI.temp("replaced.csv")
        let base = String(out.dropLast(4))
        #expect(try CLI.run(["search", "designs/intar/self-attention-u280.yaml", "-o", out, "-q"], within: 120).status == 0)
        #expect(try String(contentsOfFile: base + ".html", encoding: .utf8).contains("self-attention"))
        let r = try CLI.run(["search", "designs/intar/mlp-u280.yaml", "-o", out, "-q", "--no-report"], within: 120)
        #expect(r.status == 0)
        for f in [base + ".html", base + ".pareto.svg", base + ".breakdown.svg"] { #expect(!FileManager.default.fileExists(atPath: f), "\(f) of the previous run") }
        let record = try String(contentsOfFile: out + ".run.json", encoding: .utf8)
        #expect(record.contains("mlp-u280.yaml") && !record.contains("self-attention-u280.yaml"))
        // And the staged group: nothing of the previous run survives a commit, even when the new
        // group has fewer files.
        let dir = CLI.temp("staged")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for f in ["a.csv", "a.html", "a.breakdown.svg"] { try "old".write(toFile: "\(dir)/\(f)", atomically: true, encoding: .utf8) }
        var s = StagedFiles()
        try s.stage("new csv", to: "\(dir)/a.csv")
        try s.stage("new html", to: "\(dir)/a.html")
        #expect(try String(contentsOfFile: "\(dir)/a.csv", encoding: .utf8) == "old")
        try s.commit(removingFirst: ["\(dir)/a.html", "\(dir)/a.breakdown.svg"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["a.csv", "a.html"])
        #expect(try String(contentsOfFile: "\(dir)/a.html", encoding: .utf8) == "new html")
    }

    /// Ctrl-C (and SIGTERM) print how to resume, and the command given resumes to the
    /// uninterrupted run's CSV byte for byte.
    @Test func anInterruptPrintsHowToResume() throws {
        let spec = try CLI.slowSpec()
        let whole = CLI.temp("whole.csv")
        #expect(try CLI.run(["search", spec, "-o", whole, "-q", "--no-report"], within: 300).status == 0)
        let out = CLI.temp("int.csv")
        let errFile = CLI.temp("int.err")
        FileManager.default.createFile(atPath: errFile, contents: nil)
        let p = Process()
        p.executableURL = CLI.binary!
        p.arguments = ["search", spec, "-o", out, "-q", "--no-report", "--jobs", "1"]
        p.currentDirectoryURL = CLI.root
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
        try p.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && ((try? FileManager.default.attributesOfItem(atPath: out + ".partial")[.size] as? Int) ?? 0) == 0 { usleep(20_000) }
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationStatus == 128 + SIGINT)
        let err = try String(contentsOfFile: errFile, encoding: .utf8)
        #expect(err.contains("interrupted") && err.contains("--resume"), "\(err)")
        let line = try #require(err.split(separator: "\n").first { $0.hasPrefix("  intarsia ") })
        let args = line.dropFirst("  intarsia ".count).split(separator: " ").map(String.init)
        #expect(args.contains("--resume"))
        let r = try CLI.run(args, within: 300)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == String(contentsOfFile: whole, encoding: .utf8))
    }
}

/// Malformed CSVs are refused by every command that reads one (report, compare, summary, merge,
/// hls --from), with the file and line named; merge takes only every shard of one run.
@Suite(.serialized) struct CSVInputTests {
    /// A fresh mlp search (416 designs): the CSV, its lines, and its run record's path.
    static func fresh(_ name: String) throws -> (csv: String, lines: [String]) {
        let csv = CLI.temp(name)
        let r = try CLI.run(["search", "designs/intar/mlp-u280.yaml", "-o", csv, "-q", "--no-report"], within: 120)
        #expect(r.status == 0, "\(r.stderr)")
        return (csv, try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    /// Each damage, and the line (1-based, header = 1) the message must name.
    static func damaged(_ lines: [String]) -> [(String, String, String)] {
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let lat = header.firstIndex(of: "latency_ms")!, lanes = header.firstIndex(of: "lanes")!
        func edit(_ row: Int, _ col: Int, _ v: String) -> [String] {
            var l = lines
            var f = l[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            f[col] = v
            l[row] = f.joined(separator: ",")
            return l
        }
        var short = lines; short[3] = short[3].split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",")
        var long = lines; long[4] += ",extra"
        var dup = lines; dup[6] = dup[5]
        let noKnob = lines.map { l -> String in
            var f = l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if f.count > lanes { f.remove(at: lanes) }
            return f.joined(separator: ",")
        }
        let cut = lines.prefix(10).joined(separator: "\n") + "\n" + lines[10].prefix(9)
        return [
            ("short row", short.joined(separator: "\n"), "line 4"),
            ("long row", long.joined(separator: "\n"), "line 5"),
            ("NaN latency", edit(7, lat, "nan").joined(separator: "\n"), "line 8"),
            ("inf latency", edit(7, lat, "inf").joined(separator: "\n"), "line 8"),
            ("text number", edit(8, lat, "fast").joined(separator: "\n"), "line 9"),
            ("hex number", edit(8, lat, "0x10").joined(separator: "\n"), "line 9"),
            ("duplicate id", dup.joined(separator: "\n"), "line 7"),
            ("missing knob column", noKnob.joined(separator: "\n"), "lanes"),
            ("bad knob value", edit(2, lanes, "-3").joined(separator: "\n"), "line 3"),
            ("cut mid-row", cut, "line 11"),
        ]
    }

    @Test func everyReaderRefusesEveryDamage() throws {
        let (csv, lines) = try Self.fresh("good.csv")
        for (what, text, line) in Self.damaged(lines) {
            let bad = CLI.temp("bad.csv")
            try text.write(toFile: bad, atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(atPath: csv + ".run.json", toPath: bad + ".run.json")
            for cmd in [["report", bad], ["compare", bad], ["summary", bad, "-o", CLI.temp("s.csv")],
                        ["hls", "designs/intar/mlp-u280.yaml", "--from", bad, "--rank", "1", "-o", CLI.temp("hls")]] {
                let r = try CLI.run(cmd, within: 120)
                #expect(r.status == 2, "\(cmd[0]) accepted a CSV with a \(what): \(r.stderr)")
                #expect(r.stderr.contains(bad) && r.stderr.contains(line), "\(cmd[0]), \(what): \(r.stderr)")
                #expect(!r.stderr.contains("Domain=") && r.stderr.split(separator: "\n").count == 1, "\(cmd[0]): \(r.stderr)")
            }
        }
        // The intact CSV still reads everywhere.
        #expect(try CLI.run(["report", csv], within: 120).status == 0)
        #expect(try CLI.run(["compare", csv], within: 120).status == 0)
    }

    /// `hls -o out/mlp` where `out/` does not exist yet (the README's command on a fresh clone):
    /// the parent is made, the project written. It failed on the lock file beside the project.
    @Test func hlsMakesTheProjectsParentDirectory() throws {
        let parent = CLI.temp("hls-parent")
        let project = parent + "/nested/mlp"
        defer { try? FileManager.default.removeItem(atPath: parent) }  // test cleanup only
        let r = try CLI.run(["hls", "designs/hls/mlp-small.yaml", "--set", "template=dataflow", "-o", project], within: 120)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: project + "/design.json"))
        #expect(FileManager.default.fileExists(atPath: project + "/src/top.cpp"))
    }

    /// A CSV of another spec is refused where the spec matters: its run record's fingerprint.
    @Test func aCSVOfAnotherSpecIsRefused() throws {
        let (csv, _) = try Self.fresh("mlp.csv")
        let r = try CLI.run(["hls", "designs/intar/gating-u280.yaml", "--from", csv, "--rank", "1", "-o", CLI.temp("hls")], within: 120)
        #expect(r.status == 2 && r.stderr.contains("another spec"), "\(r.stderr)")
        // A report whose record does not match its CSV's rows.
        var lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.removeLast()
        try (lines.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let cut = try CLI.run(["report", csv], within: 120)
        #expect(cut.status == 2 && cut.stderr.contains("415 rows") && cut.stderr.contains("416"), "\(cut.stderr)")
        // A run record that is not JSON: named, no DecodingError dump.
        try "{ not json".write(toFile: csv + ".run.json", atomically: true, encoding: .utf8)
        let rec = try CLI.run(["report", csv], within: 120)
        #expect(rec.status == 2 && rec.stderr.contains(csv + ".run.json") && !rec.stderr.contains("DecodingError") && !rec.stderr.contains("dataCorrupted"), "\(rec.stderr)")
        let none = try CLI.run(["report", "nope.csv"], within: 60)
        #expect(none.status == 2 && none.stderr.contains("nope.csv: no such file"), "\(none.stderr)")
    }

    /// merge took one shard of two, a truncated shard, or shards of another spec, all with exit 0.
    @Test func mergeTakesEveryShardOfOneRunAndNothingElse() throws {
        let spec = "designs/intar/mlp-u280.yaml"
        let s0 = CLI.temp("s0.csv"), s1 = CLI.temp("s1.csv"), single = CLI.temp("single.csv")
        for (i, out) in [s0, s1].enumerated() {
            #expect(try CLI.run(["search", spec, "--shard", "\(i)/2", "-o", out, "-q", "--no-report"], within: 120).status == 0)
        }
        #expect(try CLI.run(["search", spec, "-o", single, "-q", "--no-report"], within: 120).status == 0)
        let one = try CLI.run(["merge", spec, s0, "-o", CLI.temp("m.csv")], within: 120)
        #expect(one.status == 2 && one.stderr.contains("1 of 2 shards missing (1/2)"), "\(one.stderr)")
        let twice = try CLI.run(["merge", spec, s0, s0, "-o", CLI.temp("m.csv")], within: 120)
        #expect(twice.status == 2 && twice.stderr.contains("given twice"), "\(twice.stderr)")
        let other = try CLI.run(["merge", "designs/intar/gating-u280.yaml", s0, s1, "-o", CLI.temp("m.csv")], within: 120)
        #expect(other.status == 2 && other.stderr.contains("another spec"), "\(other.stderr)")
        // A truncated shard: complete lines, but fewer than its record counts.
        let cut = CLI.temp("cut.csv")
        let lines = try String(contentsOfFile: s1, encoding: .utf8).split(separator: "\n").map(String.init)
        try (lines.dropLast(5).joined(separator: "\n") + "\n").write(toFile: cut, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: s1 + ".run.json", toPath: cut + ".run.json")
        let trunc = try CLI.run(["merge", spec, s0, cut, "-o", CLI.temp("m.csv")], within: 120)
        #expect(trunc.status == 2 && trunc.stderr.contains("\(lines.count - 6) rows") && trunc.stderr.contains("\(lines.count - 1)"), "\(trunc.stderr)")
        // Both shards: the single run's CSV, and a record so that report works on it.
        let merged = CLI.temp("merged.csv")
        let m = try CLI.run(["merge", spec, s1, s0, "-o", merged], within: 120)
        #expect(m.status == 0, "\(m.stderr)")
        #expect(try String(contentsOfFile: merged, encoding: .utf8) == String(contentsOfFile: single, encoding: .utf8))
        #expect(try CLI.run(["report", merged], within: 120).status == 0)
    }
}

/// Bad input of every kind exits 2 with one message naming it; options that do not apply are
/// refused; `--version` answers.
@Suite(.serialized) struct ErrorContractTests {
    @Test func badOptionValuesExit2AndUnknownOptions64() throws {
        for args in [["search", "designs/intar/mlp-u280.yaml", "--budget", "abc"], ["search", "designs/intar/mlp-u280.yaml", "--budget", "-5"],
                     ["search", "designs/intar/mlp-u280.yaml", "--seed", "-1"], ["search", "designs/intar/mlp-u280.yaml", "--jobs", "0"],
                     ["schedule", "designs/intar/mlp-u280.yaml", "--time-limit", "inf"], ["compare", "results/mlp-u280.csv", "--baseline", "x"],
                     ["nas", "designs/nas/nb201-three-task-asic.yaml", "--budget", "-3"]] {
            let r = try CLI.run(args, within: 60)
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
            #expect(!r.stderr.contains("tm_lim"), "\(r.stderr)")
        }
        #expect(try CLI.run(["search", "designs/intar/mlp-u280.yaml", "--no-such-option"], within: 60).status == 64)
        #expect(try CLI.run(["search"], within: 60).status == 64)
        let v = try CLI.run(["--version"], within: 60)
        #expect(v.status == 0 && v.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == IntarsiaVersion.current)
    }

    @Test func optionsThatDoNotApplyAreRefused() throws {
        let asic = try CLI.run(["evaluate", "designs/asic/resnet18-32x32-45nm.yaml", "--set", "rows=8"], within: 60)
        #expect(asic.status == 2 && asic.stderr.contains("--set rows=8") && asic.stderr.contains("ASIC"), "\(asic.stderr)")
        let fpga = try CLI.run(["evaluate", "designs/intar/mlp-u280.yaml", "--design", "3"], within: 60)
        #expect(fpga.status == 2 && fpga.stderr.contains("--design 3"), "\(fpga.stderr)")
        let costs = try CLI.run(["nas", "designs/nas/nb201-space-costs.yaml", "--space-costs", "--seeds", "1-3"], within: 60)
        #expect(costs.status == 2 && costs.stderr.contains("--seeds") && costs.stderr.contains("--space-costs"), "\(costs.stderr)")
    }

    @Test func specsThatWouldWriteOutsideOrCostNothingAreRefused() throws {
        let escape = CLI.temp("escape.yaml")
        let mlp = try String(contentsOfFile: CLI.root.appendingPathComponent("designs/intar/mlp-u280.yaml").path, encoding: .utf8)
        try ("name: ../../../../x\n" + mlp.split(separator: "\n").filter { !$0.hasPrefix("name:") }.joined(separator: "\n") + "\n").write(toFile: escape, atomically: true, encoding: .utf8)
        let r = try CLI.run(["search", escape, "-q"], within: 60)
        #expect(r.status == 2 && r.stderr.contains("name") && r.stderr.contains("../../../../x"), "\(r.stderr)")
        let empty = CLI.temp("empty.yaml")
        try """
        name: empty-networks
        workload: {networks: []}
        platform: {asic: 28nm, clock_mhz: 1000, pe_budget: 1536, bandwidth_bytes_per_cycle: 32}
        accelerators:
          - {dataflow: [nvdla], rows: [16], columns: [16], buffer_kib: [128], bandwidth_bytes_per_cycle: [8]}
        output: {path: \(CLI.temp("empty.csv"))}
        """.write(toFile: empty, atomically: true, encoding: .utf8)
        let e = try CLI.run(["search", empty, "-q"], within: 60)
        #expect(e.status == 2 && e.stderr.contains("networks") && e.stderr.contains("no network"), "\(e.stderr)")
        for missing in ["no-such-nas.yaml"] {
            let n = try CLI.run(["nas", missing], within: 60)
            #expect(n.status == 2 && n.stderr.contains("no such file"), "\(n.stderr)")
        }
    }

    /// A NAS run where nothing is feasible exited 0 with a front of size 1 and an empty Pareto file.
    @Test func aNASRunWithNothingFeasibleExits2() throws {
        let spec = CLI.temp("nas-infeasible.yaml"), prefix = CLI.temp("nas-inf")
        let text = try String(contentsOfFile: CLI.root.appendingPathComponent("designs/nas/nb201-three-task-asic.yaml").path, encoding: .utf8)
            .replacingOccurrences(of: "results/nas/nb201-three-task-asic", with: prefix)
            .replacingOccurrences(of: "constraints: {latency_ms: 0.5, energy_mj: 0.8, area_mm2: 5}", with: "constraints: {latency_ms: 0.000001, energy_mj: 0.8, area_mm2: 5}")
        try text.write(toFile: spec, atomically: true, encoding: .utf8)
        let r = try CLI.run(["nas", spec, "--budget", "50", "--strategy", "random"], within: 120)
        #expect(r.status == 2 && r.stderr.contains("no design"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: prefix + "-designs.csv"), "the evaluated designs are still written")
        let pareto = try String(contentsOfFile: prefix + "-pareto.csv", encoding: .utf8)
        #expect(pareto.split(separator: "\n").count == 1)  // header only
    }
}

/// Stopping `intarsia nas` stops the training job it started, and says how to resume.
@Suite(.serialized) struct OracleProcessTests {
    static func spec(command: String, prefix: String, strategy: String = "random") throws -> String {
        let spec = CLI.temp("oracle.yaml")
        try """
        name: oracle-test
        tasks:
          - name: cifar10
            space: resnet9-like
            oracle: {command: "\(command)", timeout_s: 60, cache: \(prefix)-cache.jsonl}
        platform: {asic: 28nm, clock_mhz: 1000, pe_budget: 1024, bandwidth_bytes_per_cycle: 32}
        accelerators:
          - {dataflow: [nvdla], rows: [16, 32], columns: [16, 32], buffer_kib: 128, bandwidth_bytes_per_cycle: 16}
        constraints: {latency_ms: 1000, energy_mj: 1000, area_mm2: 1000}
        search: {strategy: \(strategy), budget: 20, seed: 1}
        output: {path: \(prefix)}
        """.write(toFile: spec, atomically: true, encoding: .utf8)
        return spec
    }

    @Test func aStoppedNASRunKillsTheOraclesProcessGroup() throws {
        for sig in [SIGINT, SIGTERM] {
            let prefix = CLI.temp("nas-stop")
            let pidFile = prefix + "-oracle.pid"
            let spec = try Self.spec(command: "sh -c 'echo $$ > \(pidFile); sleep 60'; echo 50 # {arch}", prefix: prefix)
            let errFile = CLI.temp("nas.err")
            FileManager.default.createFile(atPath: errFile, contents: nil)
            let p = Process()
            p.executableURL = CLI.binary!
            p.arguments = ["nas", spec]
            p.currentDirectoryURL = CLI.root
            p.standardOutput = FileHandle.nullDevice
            p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
            try p.run()
            let deadline = Date().addingTimeInterval(60)
            var oracle: Int32?
            while Date() < deadline && oracle == nil {
                oracle = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                usleep(20_000)
            }
            let pid = try #require(oracle, "the oracle started")
            kill(p.processIdentifier, sig)
            p.waitUntilExit()
            #expect(p.terminationStatus == 128 + sig)
            usleep(300_000)
            // No process of this run's oracle is left: none whose command line names its pid file
            // (the first call, or one started while intarsia was stopping), zombies aside.
            let alive = try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap(Int32.init).filter { p in
                let cmd = (try? String(decoding: Data(contentsOf: URL(fileURLWithPath: "/proc/\(p)/cmdline")), as: UTF8.self)) ?? ""
                let stat = (try? String(contentsOfFile: "/proc/\(p)/stat", encoding: .utf8)) ?? ""
                return cmd.contains(pidFile) && stat.split(separator: ")").last?.split(separator: " ").first != "Z"
            }
            #expect(alive.isEmpty, "the oracle's training job still runs after signal \(sig): \(alive), first \(pid)")
            #expect(Date().timeIntervalSince(deadline.addingTimeInterval(-60)) < 30, "stopped promptly")
            let err = try String(contentsOfFile: errFile, encoding: .utf8)
            #expect(err.contains("interrupted") && err.contains("--resume") && err.contains("checkpoint"), "\(err)")
            kill(pid, SIGKILL)
        }
    }

    /// Every oracle call failing is not a success: exit 2, and the message points at the log.
    @Test func aNASRunWhoseOracleAlwaysFailsExits2() throws {
        let prefix = CLI.temp("nas-fail")
        let spec = try Self.spec(command: "echo cannot train >&2; exit 1 # {arch}", prefix: prefix)
        let r = try CLI.run(["nas", spec], within: 120)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("no design"), "\(r.stderr)")
        let designs = try String(contentsOfFile: prefix + "-designs.csv", encoding: .utf8)
        #expect(designs.contains(prefix + "-cache-stderr.log"), "the failures name the log")
        #expect(try String(contentsOfFile: prefix + "-cache-stderr.log", encoding: .utf8).contains("cannot train"))
        // Not cached: a fixed command is asked on the next run.
        let fixed = try Self.spec(command: "echo 75 # {arch}", prefix: prefix)
        let ok = try CLI.run(["nas", fixed], within: 120)
        #expect(ok.status == 0, "\(ok.stderr)")
    }
}

/// The docs/SCALING.md Slurm recipe on a real single-node Slurm (scripts/slurm-test.sh): the job
/// array of shards, the merge after it, the merged CSV equal to a single run's.
@Suite(.serialized) struct SlurmTests {
    @Test func theJobArrayRecipeMergesToTheSingleRun() throws {
        let bin = try #require(CLI.binary)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [CLI.root.appendingPathComponent("scripts/slurm-test.sh").path, bin.path, "designs/intar/mlp-u280.yaml", "4"]
        p.currentDirectoryURL = CLI.root
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if p.terminationStatus == 77 {
            // Only where Slurm cannot be installed or started: said, not silently passed.
            print("SlurmTests: \(text.split(separator: "\n").last ?? "skipped")")
            return
        }
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("PASSED") && text.contains("equal the single run (416 rows)"), "\(text)")
    }
}

extension ReliabilityTests {
    /// Temporary files of a run killed mid-write are removed by the next run on that directory;
    /// those of a live process are not.
    @Test func temporariesOfDeadRunsAreSwept() throws {
        let dir = CLI.temp("sweep")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // A pid that is no process: a child that has exited and been reaped.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        let dead = "\(dir)/.x.csv.tmp-\(p.processIdentifier)-abcdef", live = "\(dir)/.x.html.tmp-\(getpid())-abcdef", other = "\(dir)/.keep.tmp-notapid"
        for f in [dead, live, other] { try "t".write(toFile: f, atomically: false, encoding: .utf8) }
        let r = try CLI.run(["search", "designs/intar/mlp-u280.yaml", "-o", "\(dir)/x.csv", "-q", "--no-report"], within: 60)
        #expect(r.status == 0)
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: live) && FileManager.default.fileExists(atPath: other))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [".keep.tmp-notapid", ".x.html.tmp-\(getpid())-abcdef", "x.csv", "x.csv.run.json"])
    }
}

extension CSVInputTests {
    /// NAS seed sweeps in parts merge into one sweep's CSV, and only parts of one sweep do.
    @Test func nasSeedSweepsMergeOnlyWithTheirOwnKind() throws {
        let spec = "designs/nas/nb201-three-task-asic.yaml"
        let opts = ["--budget", "50", "--strategy", "random"]  // random finds a feasible design within 50 on seeds 1 and 2
        let p1 = CLI.temp("p1"), p2 = CLI.temp("p2"), both = CLI.temp("both")
        for (seeds, prefix) in [("1", p1), ("2", p2), ("1-2", both)] {
            let r = try CLI.run(["nas", spec, "--seeds", seeds, "-o", prefix] + opts, within: 300)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let merged = CLI.temp("m-seeds.csv")
        let m = try CLI.run(["merge", spec, p2 + "-seeds.csv", p1 + "-seeds.csv", "-o", merged], within: 120)
        #expect(m.status == 0, "\(m.stderr)")
        // Every column but the wall-clock seconds (the 10th) equals the single sweep's.
        func table(_ f: String) throws -> [[String]] { CSV.parse(try String(contentsOfFile: f, encoding: .utf8)).map { Array($0[..<9] + $0[10...]) } }
        #expect(try table(merged) == table(both + "-seeds.csv"))
        #expect(try table(merged).count == 1 + 2)  // header, then random (no ablations) for seeds 1 and 2
        let twice = try CLI.run(["merge", spec, p1 + "-seeds.csv", both + "-seeds.csv", "-o", CLI.temp("x.csv")], within: 120)
        #expect(twice.status == 2 && twice.stderr.contains("seed 1 is also in"), "\(twice.stderr)")
        let other = try CLI.run(["merge", "designs/nas/nb201-space-costs.yaml", p1 + "-seeds.csv", "-o", CLI.temp("x.csv")], within: 120)
        #expect(other.status == 2 && other.stderr.contains("another spec"), "\(other.stderr)")
        var lines = try String(contentsOfFile: p2 + "-seeds.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        lines.removeLast()
        try (lines.joined(separator: "\n") + "\n").write(toFile: p2 + "-seeds.csv", atomically: true, encoding: .utf8)
        let cut = try CLI.run(["merge", spec, p1 + "-seeds.csv", p2 + "-seeds.csv", "-o", CLI.temp("x.csv")], within: 120)
        #expect(cut.status == 2 && cut.stderr.contains("0 rows, but its record says the sweep wrote 1"), "\(cut.stderr)")
    }
}
