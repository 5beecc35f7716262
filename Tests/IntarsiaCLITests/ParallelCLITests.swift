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

    @Test func nasWritesTheSameFilesOnOneAndTwoJobs() throws {
        // The bundled three-task spec made smaller (64 hardware candidates, 512 exact programs),
        // every strategy: pricing, the exact method's programs and the sampling searches.
        var prefixes: [String] = []
        for jobs in ["1", "2"] {
            let spec = CLI.temp("nas-\(jobs).yaml"), prefix = CLI.temp("nas-\(jobs)")
            let t = try text(CLI.root.appendingPathComponent("designs/nas/nb201-three-task-asic.yaml").path)
                .replacingOccurrences(of: "results/nas/nb201-three-task-asic", with: prefix)
                .replacingOccurrences(of: "rows: [8, 16]", with: "rows: [16]").replacingOccurrences(of: "buffer_kib: [64, 128]", with: "buffer_kib: 128")
            try t.write(toFile: spec, atomically: true, encoding: .utf8)
            let r = try CLI.run(["nas", spec, "--budget", "200", "--seed", "3", "--jobs", jobs])
            #expect(r.status == 0, "\(r.stderr)")
            prefixes.append(prefix)
        }
        for suffix in ["-designs.csv", "-convergence.csv", "-comparison.csv", "-best.csv", "-pareto.csv"] {
            #expect(try text(prefixes[0] + suffix) == (try text(prefixes[1] + suffix)), "\(suffix)")
        }
        // The summary but its wall-time column.
        func summary(_ prefix: String) throws -> [[String]] {
            let rows = CSV.parse(try text(prefix + "-summary.csv"))
            let time = try #require(rows.first?.firstIndex(of: "time"))
            return rows.map { r in r.enumerated().filter { $0.offset != time }.map(\.element) }
        }
        let s = try summary(prefixes[0])
        #expect(s.contains { $0.first?.hasPrefix("exact") == true })
        #expect(s == (try summary(prefixes[1])))
    }
}
