import Foundation
import Testing

/// `intarsia nas train-predictor` and `fit-operators` on splits that leave too few held-out cells
/// for a rank correlation: the report says Spearman cannot be computed and why, never "nan".
@Suite struct NASFitCLITests {
    /// The first `n` cells of the NATS-Bench-MCU table, as a file of their own.
    static func cells(_ n: Int) throws -> String {
        let all = try String(contentsOf: CLI.root.appendingPathComponent("validation/nas-hw/nats-bench-mcu-nrf5340-all.csv"), encoding: .utf8)
        let file = CLI.temp("fit-\(n).csv")
        try (all.split(separator: "\n").prefix(n + 1).joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test(arguments: ["train-predictor", "fit-operators"])
    func oneHeldOutCellSaysSpearmanCannotBeComputed(_ command: String) throws {
        let file = try Self.cells(12)
        // 11 of 12 cells fitted: one held out.
        let r = try CLI.run(["nas", command, file, "-o", CLI.temp("fit-out-\(command)"), "--train", "11"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.lowercased().contains("nan"), "\(r.stdout)")
        #expect(r.stdout.contains(" 1: Spearman not computed: 1 held-out cell, a rank correlation needs at least 2"), "\(r.stdout)")
        // Every cell fitted: none held out, no error either.
        let all = try CLI.run(["nas", command, file, "-o", CLI.temp("fit-out-all-\(command)"), "--train", "12"])
        #expect(all.stdout.contains(" 0: Spearman not computed: 0 held-out cells"), "\(all.stdout)")
        #expect(all.stdout.contains("mean relative error not computed: no held-out cell"), "\(all.stdout)")
    }

    @Test func twoHeldOutCellsGiveARankCorrelation() throws {
        let r = try CLI.run(["nas", "train-predictor", try Self.cells(12), "-o", CLI.temp("fit-out-2"), "--train", "10"])
        #expect(r.status == 0, "\(r.stderr)")
        // Two cells rank each other perfectly or inversely: rho is +1 or -1.
        #expect(r.stdout.contains("validated on 2: Spearman 1.0000") || r.stdout.contains("validated on 2: Spearman -1.0000"), "\(r.stdout)")
    }
}
