import Foundation
import Testing
import IntarsiaRows

/// `hardware_cost: {predictor: MODEL, verify: ...}` through `intarsia nas`: the summary and the
/// comparison gain a measured row per strategy whose figures say `=measured`; without `verify`
/// the summary says the figures are predicted, not measured.
@Suite struct NASVerifyCLITests {
    static let table = CLI.root.appendingPathComponent("validation/nas-hw/nats-bench-mcu-nrf5340-all.csv").path

    static func spec(model: String, prefix: String, verify: Bool) -> String {
        let cost = verify ? "{predictor: \(model), verify: {table: \(table), missing: failed}, verify_designs: 5}" : "{predictor: \(model)}"
        return """
        tasks:
          - {dataset: cifar10, weight: 1, min_accuracy: 88}
          - {dataset: cifar100}
        devices:
          - {name: nrf5340, hardware_cost: \(cost)}
        constraints: {latency_ms: 6000, energy_mj: 70, memory_kb: 400}
        search: {strategy: [exact], seed: 1}
        output: {path: \(prefix)}
        """
    }

    @Test func verifiedRowsAreMeasuredAndUnverifiedOnesSaySo() throws {
        let model = CLI.temp("verify-model.json")
        let trained = try CLI.run(["nas", "train-predictor", Self.table, "-o", model, "--train", "100", "--seed", "1"])
        #expect(trained.status == 0, "\(trained.stderr)")
        for verify in [true, false] {
            let prefix = CLI.temp("verify-\(verify)"), file = CLI.temp("verify-\(verify).yaml")
            try Self.spec(model: model, prefix: prefix, verify: verify).write(toFile: file, atomically: true, encoding: .utf8)
            let r = try CLI.run(["nas", file])
            #expect(r.status == 0, "\(r.stderr)")
            let summary = try String(contentsOfFile: prefix + "-summary.csv", encoding: .utf8)
            let rows = CSV.parse(try String(contentsOfFile: prefix + "-comparison.csv", encoding: .utf8)).filter { $0.count > 1 }
            let cost = try #require(rows[0].firstIndex(of: "hardware_cost")), strategy = try #require(rows[0].firstIndex(of: "strategy"))
            if verify {
                #expect(summary.contains("exact, verified by measurement") && summary.contains("of at most 5 designs verified"), "\(summary)")
                // How many of the measured cells were the picks' and how many their rivals'.
                #expect(summary.contains(" of the picks, ") && summary.contains(" rivals)"), "\(summary)")
                #expect(r.stderr.contains("exact, verified by measurement: "), "\(r.stderr)")
                let measured = try #require(rows.first { $0[strategy] == "exact, measured" })
                #expect(measured[cost].contains("=measured") && !measured[cost].contains("=predictor"), "\(measured)")
            } else {
                #expect(summary.contains("every figure above is predicted, not measured"), "\(summary)")
                #expect(!rows.contains { $0[strategy].hasSuffix(", measured") })
            }
            #expect(rows.first { $0[strategy] == "exact" }?[cost].contains("=predictor") == true)
        }
    }
}
