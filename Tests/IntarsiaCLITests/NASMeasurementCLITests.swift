import Foundation
import Testing
import IntarsiaRows

/// `hardware_cost: {command: ...}` through the whole `intarsia nas` path: a template space of 8
/// architectures measured by `scripts/oracles/toy-measure.sh`, told to fail on some architectures
/// in each way a measurement can (a non-zero exit, a hang past the timeout, garbage, a figure that
/// is no number). The run finishes (status 0); every failure is a failed evaluation whose reason
/// the designs file records; the best design is one of the three measured architectures.
@Suite struct NASMeasurementCLITests {
    static func spec(prefix: String, cache: String, options: String) -> String {
        let script = CLI.root.appendingPathComponent("scripts/oracles/toy-measure.sh").path
        return """
        name: measured-tiny
        tasks:
          - name: tiny
            space:
              name: tiny
              input: {channels: 3, height: 8, width: 8}
              choices: {f: [16, 32], k: [3, 5], d: [1, 2]}
              network:
                - conv: {filters: $f, kernel: $k}
                - {repeat: $d, layers: [{conv: {filters: $f, kernel: 3}}, relu]}
                - global_pool
                - linear: {outputs: 10}
            oracle: {command: "sh \(CLI.root.appendingPathComponent("scripts/oracles/toy-accuracy.sh").path) {arch} {task}", cache: \(cache)-acc.jsonl}
        devices:
          - name: board
            hardware_cost: {command: "sh \(script) {arch} \(options)", timeout_s: 2, cache: \(cache).jsonl}
        constraints: {latency_ms: 100, memory_kb: 1000}
        search: {strategy: all, budget: 20, seed: 1}
        output: {path: \(prefix)}
        """
    }

    @Test func failingHangingAndGarbageMeasurementsAreFailedEvaluations() throws {
        let prefix = CLI.temp("measured"), cache = CLI.temp("measure-cache"), file = CLI.temp("measured.yaml")
        // Architectures are f=..,k=..,d=..: two fail (exit 3), one hangs, one prints garbage,
        // one a latency that is a word; f=16,k=3,d=1, f=32,k=3,d=1 and f=32,k=5,d=1 are measured.
        let options = "--fail-if f=16,k=5 --hang-if f=32,k=5,d=2 --garbage-if f=32,k=3,d=2 --nan-if f=16,k=3,d=2"
        try Self.spec(prefix: prefix, cache: cache, options: options).write(toFile: file, atomically: true, encoding: .utf8)
        let started = Date()
        let r = try CLI.run(["nas", file])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Date().timeIntervalSince(started) < 60)
        // Every architecture is measured before the search: stderr says how far that has got.
        #expect(r.stderr.contains("8 of 8 architectures measured or read from the cache"), "\(r.stderr)")
        let rows = CSV.parse(try String(contentsOfFile: prefix + "-designs.csv", encoding: .utf8)).filter { $0.count > 1 }
        let header = rows[0]
        let v = try #require(header.firstIndex(of: "violations")), arch = try #require(header.firstIndex(of: "architecture_tiny"))
        func reason(_ a: String) -> String? { rows.dropFirst().first { $0[arch] == a }?[v] }
        #expect(reason("f=16,k=5,d=1")?.contains("hardware_cost[tiny] failed: measurement failed: exit code 3") == true)
        #expect(reason("f=32,k=5,d=2")?.contains("measurement failed: timed out after 2.0 s") == true)
        #expect(reason("f=32,k=3,d=2")?.contains("output is not a JSON object of figures: 'latency: about twelve'") == true)
        #expect(reason("f=16,k=3,d=2")?.contains("figure latency_ms is not a finite number") == true)
        // The stderr of the failing call is kept beside the cache.
        let log = try String(contentsOfFile: cache + "-stderr.log", encoding: .utf8)
        #expect(log.contains("device not reachable for f=16,k=5,d=1"))
        let best = CSV.parse(try String(contentsOfFile: prefix + "-best.csv", encoding: .utf8)).filter { $0.count > 1 }
        let bestColumn = try #require(best[0].firstIndex(of: "architecture_tiny"))
        let bestArch = try #require(best.dropFirst().first?[bestColumn])
        #expect(["f=16,k=3,d=1", "f=32,k=3,d=1", "f=32,k=5,d=1"].contains(bestArch))
        let comparison = try String(contentsOfFile: prefix + "-comparison.csv", encoding: .utf8)
        #expect(comparison.contains("tiny:latency+energy+memory=command"))
        // The measured figures are cached: a rerun asks only the failed ones again (the hang again
        // takes its 2 s), and gives the same table.
        let again = try CLI.run(["nas", file])
        #expect(again.status == 0 && again.stdout == r.stdout)
        let cached = try String(contentsOfFile: cache + ".jsonl", encoding: .utf8).split(separator: "\n")
        #expect(cached.count == 3)
    }
}
