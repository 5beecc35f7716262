import Testing
import Foundation
import IntarsiaCore
@testable import IntarsiaNAS

@Suite struct CommandOracleTests {
    func temp(_ n: String) -> String { FileManager.default.temporaryDirectory.appendingPathComponent("oracle-\(UUID().uuidString)-\(n)").path }

    func failure(_ a: CommandOracle.Answer) -> String? { if case .failed(let why) = a { return why } else { return nil } }

    @Test func failuresAreRecordedWithTheirReasonAndRetriedUnlessCached() throws {
        let cache = temp("cache.jsonl")
        let good = CommandOracle(command: "echo training {arch}; echo 91.5", timeoutSeconds: 5, cachePath: cache)
        #expect(good.accuracy(architecture: "|a~0|", task: "t") == .accuracy(91.5))
        let exit3 = CommandOracle(command: "echo boom >&2; exit 3 # {arch}", timeoutSeconds: 5, cachePath: temp("c.jsonl"))
        let why = try #require(failure(exit3.accuracy(architecture: "x", task: "t")))
        #expect(why.hasPrefix("exit code 3") && why.contains(exit3.logPath))
        // The stderr of the failing call is in the log the message names.
        #expect(try String(contentsOfFile: exit3.logPath, encoding: .utf8).contains("boom"))
        // Failures are not cached by default: asked again, the command runs again.
        _ = exit3.accuracy(architecture: "x", task: "t")
        #expect(exit3.runs == 2)
        let hang = CommandOracle(command: "sleep 20 # {arch}", timeoutSeconds: 0.3, cachePath: temp("c"))
        let start = Date()
        #expect(failure(hang.accuracy(architecture: "x", task: "t"))?.hasPrefix("timed out after 0.3 s") == true)
        #expect(Date().timeIntervalSince(start) < 5)
        if case .failed(let why) = CommandOracle(command: "echo 'loss: nan' # {arch}", timeoutSeconds: 5, cachePath: temp("c")).accuracy(architecture: "x", task: "t") {
            #expect(why.contains("not an accuracy") && why.contains("loss: nan"))
        } else { Issue.record("garbage accepted") }
        // A rerun of the same command reads the cache: the command does not run again.
        let rerun = CommandOracle(command: "echo training {arch}; echo 91.5", timeoutSeconds: 5, cachePath: cache)
        #expect(rerun.accuracy(architecture: "|a~0|", task: "t") == .accuracy(91.5))
        #expect(rerun.runs == 0)
        // A changed command is asked again (the key holds the command text).
        let changed = CommandOracle(command: "echo 12 # {arch}", timeoutSeconds: 5, cachePath: cache)
        #expect(changed.accuracy(architecture: "|a~0|", task: "t") == .accuracy(12))
        #expect(changed.runs == 1)
        // With cacheFailures, a failure is kept and believed.
        let kept = CommandOracle(command: "exit 4 # {arch}", timeoutSeconds: 5, cachePath: cache)
        kept.cacheFailures = true
        _ = kept.accuracy(architecture: "y", task: "t")
        let keptAgain = CommandOracle(command: "exit 4 # {arch}", timeoutSeconds: 5, cachePath: cache)
        keptAgain.cacheFailures = true
        #expect(failure(keptAgain.accuracy(architecture: "y", task: "t"))?.hasPrefix("exit code 4") == true)
        #expect(keptAgain.runs == 0)
    }

    /// Collects what an oracle warns about.
    final class Warnings: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    /// A cache line is the same text in every run: keys sorted at every level (they followed the
    /// process's hash seed, so a fresh bundled cache differed from run to run).
    @Test func cacheLinesHaveSortedKeys() throws {
        let cache = temp("sorted.jsonl")
        let o = CommandOracle(command: "echo 77 # {arch}", timeoutSeconds: 5, cachePath: cache)
        _ = o.accuracy(architecture: "a", task: "t")
        let line = try String(contentsOfFile: cache, encoding: .utf8)
        #expect(line.hasPrefix(#"{"answer":{"accuracy":{"_0":77}},"key":"v2\t"#), "\(line)")
        #expect(line.hasSuffix("\\tt\\ta\"}\n"), "\(line)")
    }

    /// A corrupt cache is reported (file, line numbers, count), its good entries kept, and the
    /// corrupt ones asked again; they were skipped silently.
    @Test func corruptCacheLinesAreReported() throws {
        let cache = temp("corrupt.jsonl")
        let first = CommandOracle(command: "echo 77 # {arch}", timeoutSeconds: 5, cachePath: cache)
        _ = first.accuracy(architecture: "a", task: "t")
        let good = try String(contentsOfFile: cache, encoding: .utf8)
        // Line 1 good, line 2 truncated JSON, line 3 blank (not an entry, not an error), line 4 not JSON.
        try (good + "{\"key\": \"v2\tx\", \"answ\n\nhello\n").write(toFile: cache, atomically: true, encoding: .utf8)
        let warnings = Warnings()
        let o = CommandOracle(command: "echo 77 # {arch}", timeoutSeconds: 5, cachePath: cache, warn: { warnings.add($0) })
        #expect(o.corruptCacheLines == [2, 4])
        #expect(warnings.all.count == 1)
        let w = try #require(warnings.all.first)
        #expect(w.contains(cache) && w.contains("2 lines are not an oracle cache entry") && w.contains("(lines 2, 4)"))
        #expect(o.accuracy(architecture: "a", task: "t") == .accuracy(77))
        #expect(o.runs == 0, "the good line is still read")
    }

    /// A cache that cannot be written is reported once (it was silent), and the answers still come.
    @Test func anUnwritableCacheIsReportedOnce() throws {
        let blocker = temp("file")
        try "not a folder".write(toFile: blocker, atomically: true, encoding: .utf8)
        let cache = blocker + "/cache.jsonl"  // its folder is a file: cannot be created
        let warnings = Warnings()
        let o = CommandOracle(command: "echo 50 # {arch}", timeoutSeconds: 5, cachePath: cache, warn: { warnings.add($0) })
        #expect(o.accuracy(architecture: "a", task: "t") == .accuracy(50))
        #expect(o.accuracy(architecture: "b", task: "t") == .accuracy(50))
        #expect(o.cacheWriteFailure?.path == cache)
        #expect(warnings.all.count == 1, "once, not per answer: \(warnings.all)")
        #expect(warnings.all.first?.contains("'\(cache)': cannot be written") == true)
        // A failure's reason says its stderr could not be kept, instead of naming a log that is not there.
        let failing = CommandOracle(command: "exit 5 # {arch}", timeoutSeconds: 5, cachePath: cache, warn: { warnings.add($0) })
        let why = try #require(failure(failing.accuracy(architecture: "c", task: "t")))
        #expect(why.hasPrefix("exit code 5 (its stderr could not be kept: '\(failing.logPath)': cannot be written"), "\(why)")
    }

    /// Only plain decimals are accuracies: 0x10 was read as 16.
    @Test func accuraciesAreDecimalNumbersOnly() {
        for (text, value) in [("93.5", 93.5 as Double?), ("0", 0), ("100", 100), ("7.", 7), (".5", 0.5), ("0x10", nil), ("1e1", nil), ("inf", nil),
                              ("nan", nil), ("", nil), ("-", nil), (".", nil), ("1.2.3", nil), ("12abc", nil), ("٣", nil)] {
            #expect(CommandOracle.decimal(text) == value, "\(text)")
        }
        let hex = CommandOracle(command: "echo 0x10 # {arch}", timeoutSeconds: 5, cachePath: temp("h"))
        #expect(failure(hex.accuracy(architecture: "x", task: "t"))?.contains("not an accuracy") == true)
    }

    /// A spec folder whose path contains {task} (or {arch}, quotes, $(...)) stays one quoted word:
    /// the values are substituted in one pass and never scanned again.
    @Test func placeholdersInValuesAreNeverSubstitutedAgain() throws {
        let dir = temp("dir {task} '$(touch pwned)' {arch}")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let marker = FileManager.default.currentDirectoryPath + "/pwned"
        try? FileManager.default.removeItem(atPath: marker)
        let o = CommandOracle(command: "test -d {spec_dir} && printf '%s|%s\\n' {task} {arch} >&2 && echo 42", timeoutSeconds: 5, cachePath: temp("s"), specDirectory: dir)
        #expect(o.commandLine(architecture: "a'b", task: "t;x") == "test -d \(CommandOracle.quote(dir)) && printf '%s|%s\\n' 't;x' 'a'\\''b' >&2 && echo 42")
        #expect(o.accuracy(architecture: "|nor_conv_3x3~0|", task: "{arch}") == .accuracy(42))
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(CommandOracle.substitute("{a}{b}{ {c} }", values: ["a": "{b}", "b": "x"]) == "'{b}''x'{ {c} }")
    }

    /// Whether a process has ended: no such pid, or a zombie waiting for its parent to reap it.
    func gone(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return true }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }

    /// The command's whole process group goes at a timeout, and so do background processes the
    /// shell leaves behind; output past the cap is a failure, not held in memory.
    @Test func theProcessGroupIsKilledAndOutputIsCapped() throws {
        let pidFile = temp("bg.pid")
        let o = CommandOracle(command: "sleep 30 & echo $! > \(pidFile); echo 50 # {arch}", timeoutSeconds: 5, cachePath: temp("g"))
        let start = Date()
        #expect(o.accuracy(architecture: "x", task: "t") == .accuracy(50))
        #expect(Date().timeIntervalSince(start) < 4, "the background sleep does not hold the call")
        let bg = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        usleep(100_000)
        #expect(gone(bg), "the background process was killed with its group")
        let pidFile2 = temp("to.pid")
        let t = CommandOracle(command: "sh -c 'echo $$ > \(pidFile2); sleep 30' # {arch}", timeoutSeconds: 0.5, cachePath: temp("t"))
        _ = t.accuracy(architecture: "x", task: "t")
        let child = try #require(Int32(try String(contentsOfFile: pidFile2, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        usleep(100_000)
        #expect(gone(child), "the timed-out command's child was killed with its group")
        let loud = CommandOracle(command: "yes 1 # {arch}", timeoutSeconds: 20, cachePath: temp("l"))
        loud.maxOutputBytes = 1 << 20
        #expect(failure(loud.accuracy(architecture: "x", task: "t"))?.contains("more than 1048576 bytes") == true)
    }

    /// With a command oracle, the successive baseline's NAS is a hardware-blind search: it asks
    /// the command about exactly `budget` distinct architectures per task and keeps the most
    /// accurate one it was told of; the hardware is then the fastest for those networks.
    @Test func successiveWithACommandOracleSearchesBlindThenPicksTheFastestHardware() throws {
        let cache = temp("blind.jsonl")
        // The accuracy: 10 points per 3x3 convolution in the cell string (a stand-in). A
        // generous timeout: under the whole suite's load a 5 s limit failed 2 of the 40 asks.
        let oracle = CommandOracle(command: "n=$(printf '%s' {arch} | grep -o conv_3x3 | wc -l); echo $((n * 10))", timeoutSeconds: 120, cachePath: cache)
        let base = try CoExplorationTests().problem()
        let t = ExactSelectionTests.shared
        let p = try CoExploration(tasks: [.nb201(.cifar10, table: t, oracle: oracle), .nb201(.cifar100, table: t)],
                                  hardware: base.hardware, constraints: base.constraints)
        let s = try p.successive(searchBudget: 40, seed: 3)
        #expect(oracle.runs >= 40)
        // Every answer the blind search got, from the cache file.
        var told: [String: Double] = [:]
        for line in try String(contentsOfFile: cache, encoding: .utf8).split(separator: "\n") {
            let f = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let key = (f["key"] as! String).split(separator: "\t").last.map(String.init)!
            if let a = (f["answer"] as? [String: Any])?["accuracy"] as? [String: Any], let v = a["_0"] as? Double { told[key] = v }
        }
        #expect(told.count == 40)
        let chosen = t.cells[s.design.cells[0]].description
        #expect(told[chosen] == told.values.max())
        // The task with a table takes its most accurate cell.
        #expect(t.accuracy[.cifar100]![s.design.cells[1]] == t.accuracy[.cifar100]!.max())
        // The hardware: no candidate (within the non-area budgets) is faster for these cells.
        for h in 0..<p.hardware.count where p.hardwareViolations(h).allSatisfy({ $0.hasPrefix("area") }) {
            for a in p.assignments {
                #expect(p.evaluate(.init(hardware: h, assignment: a, cells: s.design.cells)).latencyMs >= s.latencyMs - 1e-12)
            }
        }
    }

    @Test func architecturesWithQuotesReachTheCommandIntact() {
        let o = CommandOracle(command: "printf '%s\\n' {arch} | grep -q \"it's\" && echo 50", timeoutSeconds: 5, cachePath: temp("q"))
        #expect(o.accuracy(architecture: "it's", task: "t") == .accuracy(50))
    }
}
