import Foundation
import Testing
import IntarsiaCore
@testable import IntarsiaNAS

/// The fitting procedures on measured per-cell latencies of other devices: a phone (Pixel 3), a
/// CPU board (Raspberry Pi 4), two accelerators (Eyeriss, an FPGA) and a server CPU (Xeon Gold
/// 6226), all 15,625 NAS-Bench-201 cells each, from HELP's repository (HW-NAS-Bench's figures for
/// the first four; validation/nas-hw/extract-help-latency.py says where each comes from). Fitted
/// on 100 (and 50) cells drawn by a seed, judged on every other cell: the bounds.
@Suite struct RealDeviceTests {
    static let devices = ["pixel3", "raspi4", "eyeriss", "fpga", "gold_6226"]
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../validation/nas-hw").standardizedFileURL.path

    /// Spearman on the cells not fitted on (at most `heldOutLimit` of them, in order) of an
    /// operator table or a predictor fitted on `train` cells drawn by `seed`.
    static func heldOutSpearman(_ m: MeasurementsTable, train: Int, seed: UInt64, predictor: Bool, heldOutLimit: Int = .max) throws -> Double {
        let cells = try CostFitting.cells(m)
        let (fit, rest) = try CostFitting.split(count: cells.count, train: train, seed: seed)
        let held = Array(rest.prefix(heldOutLimit))
        let measured = m.values(.latency)!
        let predicted: [Double]
        if predictor {
            predicted = try CostPredictor.train(m, cells: cells, rows: fit, seed: seed).predict(held.map { cells[$0] })[.latency]!
        } else {
            let t = try OperatorTable.fit(m, cells: cells, rows: fit)
            predicted = held.map { t.predict(cells[$0], t.figure(.latency)!) }
        }
        return RankCorrelation.spearman(predicted, held.map { measured[$0] })
    }

    /// Every procedure on 100 cells (and the predictor on 50) against every other cell, seeds 1
    /// to 3: (operator table 100, predictor 100, predictor 50).
    static func spearmans(_ device: String) throws -> [(table: Double, hundred: Double, fifty: Double)] {
        let m = try MeasurementsTable.read("\(folder)/help-nb201-\(device)-latency.csv")
        #expect(m.architectures.count == 15_625)
        return try (1...3 as ClosedRange<UInt64>).map { seed in
            (try heldOutSpearman(m, train: 100, seed: seed, predictor: false), try heldOutSpearman(m, train: 100, seed: seed, predictor: true),
             try heldOutSpearman(m, train: 50, seed: seed, predictor: true))
        }
    }

    /// The accelerators and the server CPU: every bound holds (>= 0.95 on 100 cells for both
    /// procedures, >= 0.9 on 50 for the predictor).
    @Test(arguments: ["eyeriss", "fpga", "gold_6226"]) func boundsHold(device: String) throws {
        for (seed, r) in try Self.spearmans(device).enumerated() {
            #expect(r.table >= 0.95 && r.hundred >= 0.95 && r.fifty >= 0.9, "\(device) seed \(seed + 1): \(r)")
        }
    }

    /// The phone and the board: the bounds on 100 cells are NOT met (operator table 0.918 to
    /// 0.929, predictor 0.925 to 0.942, seeds 1 to 3; docs/NAS.md); the predictor on 50 cells
    /// reaches 0.9. Checked: what holds, and that the predictor on 100 cells beats the operator
    /// table on every seed.
    @Test(arguments: ["pixel3", "raspi4"]) func phoneAndBoardFallShortOnHundredCells(device: String) throws {
        for (seed, r) in try Self.spearmans(device).enumerated() {
            #expect(r.fifty >= 0.9 && r.hundred >= 0.92 && r.table >= 0.91, "\(device) seed \(seed + 1): \(r)")
            #expect(r.hundred > r.table, "\(device) seed \(seed + 1): \(r)")
        }
    }
}
