import Foundation
import IntarsiaRows
import Testing
import IntarsiaReports

/// `--jobs`: every search writes the same files on one worker as on two (issue 17, item 5).
@Suite(.serialized) struct ParallelCLITests {
    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func asicSearchWritesTheSameCSVAndPlotOnOneAndTwoJobs() throws {
        // 4,096 designs of two sub-accelerators, two networks.
        var outputs: [String] = []
        for jobs in ["1", "2"] {
            let out = CLI.temp("asic-\(jobs).csv")
            let r = try CLI.run(["search", "designs/asic/cifar-unet-hetero-28nm.yaml", "-o", out, "--jobs", jobs])
            #expect(r.status == 0, "\(r.stderr)")
            outputs.append(out)
        }
        let csv = try text(outputs[0])
        #expect(csv.split(separator: "\n").count == 1 + 4096)
        #expect(csv == (try text(outputs[1])))
        #expect(try text(outputs[0].dropLast(4) + ".pareto.svg") == (try text(outputs[1].dropLast(4) + ".pareto.svg")))
        let bad = try CLI.run(["search", "designs/asic/cifar-unet-hetero-28nm.yaml", "-o", CLI.temp("x.csv"), "--jobs", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("--jobs 0"))
    }

    @Test func fpgaSearchWritesTheSameCSVOnOneAndTwoJobs() throws {
        var outputs: [String] = []
        for jobs in ["1", "2"] {
            let out = CLI.temp("fpga-\(jobs).csv")
            let r = try CLI.run(["search", "designs/intar/mlp-u280.yaml", "-o", out, "--jobs", jobs, "--no-report", "-q"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("CSV rows"))
            outputs.append(out)
        }
        let csv = try text(outputs[0])
        #expect(csv.split(separator: "\n").count > 100 && csv.contains(",true\n"))
        #expect(csv == (try text(outputs[1])))
    }

    /// The bundled three-task spec made smaller (64 hardware candidates, 512 exact programs),
    /// written under `name`; returns the spec's path and its output prefix.
    func smallNASSpec(_ name: String) throws -> (spec: String, prefix: String) {
        let spec = CLI.temp("\(name).yaml"), prefix = CLI.temp(name)
        let t = try text(CLI.root.appendingPathComponent("designs/nas/nb201-three-task-asic.yaml").path)
            .replacingOccurrences(of: "results/nas/nb201-three-task-asic", with: prefix)
            .replacingOccurrences(of: "rows: [8, 16]", with: "rows: [16]").replacingOccurrences(of: "buffer_kib: [64, 128]", with: "buffer_kib: 128")
        try t.write(toFile: spec, atomically: true, encoding: .utf8)
        return (spec, prefix)
    }

    /// A CSV's rows without the named wall-time column.
    func withoutColumn(_ column: String, _ path: String) throws -> [[String]] {
        let rows = CSV.parse(try text(path))
        let time = try #require(rows.first?.firstIndex(of: column))
        return rows.map { r in r.enumerated().filter { $0.offset != time }.map(\.element) }
    }

    @Test func nasWritesTheSameFilesOnOneAndTwoJobs() throws {
        // Every strategy: pricing, the exact method's programs and the sampling searches (the
        // four strategies' runs side by side on two jobs).
        var prefixes: [String] = []
        for jobs in ["1", "2"] {
            let (spec, prefix) = try smallNASSpec("nas-\(jobs)")
            let r = try CLI.run(["nas", spec, "--budget", "200", "--seed", "3", "--jobs", jobs])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(!r.stderr.contains("one after another"))
            prefixes.append(prefix)
        }
        for suffix in ["-designs.csv", "-convergence.csv", "-comparison.csv", "-best.csv", "-pareto.csv"] {
            #expect(try text(prefixes[0] + suffix) == (try text(prefixes[1] + suffix)), "\(suffix)")
        }
        // The summary but its wall-time column.
        let s = try withoutColumn("time", prefixes[0] + "-summary.csv")
        #expect(s.contains { $0.first?.hasPrefix("exact") == true })
        #expect(s == (try withoutColumn("time", prefixes[1] + "-summary.csv")))
    }

    @Test func nasSeedSweepWritesTheSameFilesOnOneAndTwoJobs() throws {
        // Three seeds of the four strategies and their four ablations: 24 runs, side by side on
        // two jobs, merged in the order of the strategies and the seeds.
        var prefixes: [String] = []
        for jobs in ["1", "2"] {
            let (spec, prefix) = try smallNASSpec("nas-seeds-\(jobs)")
            let r = try CLI.run(["nas", spec, "--budget", "100", "--seeds", "1-3", "--jobs", jobs], within: 300)
            #expect(r.status == 0, "\(r.stderr)")
            prefixes.append(prefix)
        }
        #expect(try text(prefixes[0] + "-seeds-convergence.csv") == (try text(prefixes[1] + "-seeds-convergence.csv")))
        let rows = try withoutColumn("seconds", prefixes[0] + "-seeds.csv")
        #expect(rows.count == 1 + 24)
        #expect(rows.dropFirst().prefix(3).map { [$0[0], $0[1]] } == [["random", "1"], ["random", "2"], ["random", "3"]])
        #expect(rows == (try withoutColumn("seconds", prefixes[1] + "-seeds.csv")))
    }

    @Test func aCommandOraclesRunsGoOneAfterAnotherAndTheOutputSaysSo() throws {
        let prefix = CLI.temp("nas-oracle-seeds")
        let spec = try OracleProcessTests.spec(command: "true {arch}; echo 50", prefix: prefix)
        let r = try CLI.run(["nas", spec, "--seeds", "1-2", "--jobs", "2"], within: 120)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("sampling runs one after another: a task's accuracy comes from a command"))
        let one = try CLI.run(["nas", spec, "--seeds", "1-2", "--jobs", "1", "-o", prefix + "-1"], within: 120)
        #expect(one.status == 0 && !one.stderr.contains("one after another"), "\(one.stderr)")
    }
}
