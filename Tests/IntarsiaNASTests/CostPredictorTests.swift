import Foundation
import Testing
import IntarsiaCore
@testable import IntarsiaNAS

/// The learned predictor (XGBoost through its C API) on the NATS-Bench-MCU cells.
@Suite struct CostPredictorTests {
    static func heldOutSpearman(train n: Int, seed: UInt64) throws -> (latency: Double, energy: Double) {
        let m = MeasuredCostTests.mcu
        let cells = try CostFitting.cells(m)
        let (fit, held) = try CostFitting.split(count: cells.count, train: n, seed: seed)
        let p = try CostPredictor.train(m, cells: cells, rows: fit, seed: seed)
        let predicted = try p.predict(held.map { cells[$0] })
        func rho(_ f: MeasuredFigureColumn) -> Double { RankCorrelation.spearman(predicted[f]!, held.map { m.values(f)![$0] }) }
        return (rho(.latency), rho(.energy))
    }

    /// Trained on 100 cells it ranks the other 957 at >= 0.95; on 50, the other 1,007 at >= 0.9.
    @Test(arguments: [1, 2, 3] as [UInt64]) func ranksTheMicrocontrollerCells(seed: UInt64) throws {
        let hundred = try Self.heldOutSpearman(train: 100, seed: seed)
        #expect(hundred.latency >= 0.95 && hundred.energy >= 0.95, "\(hundred)")
        let fifty = try Self.heldOutSpearman(train: 50, seed: seed)
        #expect(fifty.latency >= 0.9 && fifty.energy >= 0.9, "\(fifty)")
    }

    /// The figures' boosters train at once on several threads: the model (every tree, as
    /// XGBoost saves it) is byte for byte the one a single thread trains, run after run.
    @Test func concurrentTrainingGivesTheModelOfOneThread() throws {
        let m = MeasuredCostTests.mcu
        let cells = try CostFitting.cells(m)
        let rows = Array(stride(from: 0, to: cells.count, by: 3))
        let one = try CostPredictor.train(m, cells: cells, rows: rows, seed: 7, workers: 1).json()
        #expect(one.count > 1000)
        for _ in 0..<3 { #expect(try CostPredictor.train(m, cells: cells, rows: rows, seed: 7, workers: 3).json() == one) }
        // Another seed gives other trees (the comparison can fail).
        #expect(try CostPredictor.train(m, cells: cells, rows: rows, seed: 8, workers: 3).json() != one)
    }

    @Test func savedModelPredictsTheSameAndIsRefusedOnAnotherSpace() throws {
        let m = MeasuredCostTests.mcu
        let cells = try CostFitting.cells(m)
        let p = try CostPredictor.train(m, cells: cells, rows: Array(0..<80), seed: 5)
        let path = NSTemporaryDirectory() + "/nashw-predictor-\(getpid()).json"
        defer { unlink(path) }
        try p.json().write(to: URL(fileURLWithPath: path))
        let back = try CostPredictor.load(path)
        let some = Array(cells[100..<140])
        #expect(try back.predict(some)[.latency]! == p.predict(some)[.latency]!)
        #expect(throws: HardwareCostError.self) { try back.figures(space: TwoChoices()) }
        // A model of another space or feature set, and a file that is no model, are refused.
        var other = p.model
        other.space = "resnet9-like"
        try JSONEncoder().encode(other).write(to: URL(fileURLWithPath: path))
        #expect(throws: HardwareCostError.self) { try CostPredictor.load(path) }
        // A model of version 1 (83 features, log target) is refused, naming the version to retrain to.
        var old = p.model
        old.version = 1
        old.features = 83
        try JSONEncoder().encode(old).write(to: URL(fileURLWithPath: path))
        #expect { try CostPredictor.load(path) } throws: { "\($0)".contains("version 1") && "\($0)".contains("version 2") }
        try Data("not json".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: HardwareCostError.self) { try CostPredictor.load(path) }
        // Every one of the space's cells priced.
        let f = try back.figures(space: NB201Space(cells: NB201Cell.all, dataset: .cifar10))
        #expect(f.latencyMs.count == 15_625 && f.latencyMs.allSatisfy { $0 > 0 && $0.isFinite } && f.kind == .predictor)
    }
}
