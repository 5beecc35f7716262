import Foundation
import Testing
@testable import IntarsiaSpec
import IntarsiaNAS

/// Issue 16's check: a three-task NAS-Bench-201 co-exploration on the microcontroller (the
/// shipped spec designs/nas/nb201-three-task-mcu.yaml: latency 9,000 ms, energy 100 mJ, memory
/// 400 kB, only measured cells) priced by a predictor trained on 100 measured cells, its best
/// designs verified by the measured table (`verify`, at most 10 rounds, each measuring the pick
/// and, by default, 8 rivals per task), chooses a design that, priced by the measured table alone,
/// meets every spec and is within 0.5 of the exact optimum on the measured table, with the exact
/// method and with evolution, on seeds 1, 2 and 3 (seeds 4 and 5 too, 0.49 short at worst, not
/// asserted: docs/NAS.md). The
/// reference is the exact method on the table, which MeasuredCostTests checks against brute force.
@Suite(.serialized) struct PredictorSearchTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let table = root.appendingPathComponent("validation/nas-hw/nats-bench-mcu-nrf5340-all.csv").path

    static func spec(_ cost: String) -> String {
        """
        tasks:
          - {dataset: cifar10, weight: 1, min_accuracy: 88}
          - {dataset: cifar100}
          - {dataset: imagenet16-120}
        devices:
          - name: nrf5340
            hardware_cost: \(cost)
        constraints: {latency_ms: 9000, energy_mj: 100, memory_kb: 400}
        """
    }

    static func problem(_ cost: String) throws -> CoExploration {
        try NASDesignSpec.parse(text: spec(cost), file: "/tmp/predictor-search.yaml").problem()
    }

    /// A predictor trained on 100 measured cells drawn by `seed`, saved where a spec reads it.
    static func model(seed: UInt64) throws -> String {
        let m = try MeasurementsTable.read(table)
        let cells = try CostFitting.cells(m)
        let (fit, _) = try CostFitting.split(count: cells.count, train: 100, seed: seed)
        let path = NSTemporaryDirectory() + "/predictor-search-\(getpid())-\(seed).json"
        try CostPredictor.train(m, cells: cells, rows: fit, seed: seed).json().write(to: URL(fileURLWithPath: path))
        return path
    }

    static let measured = try! problem("{table: \(table), missing: failed}")
    static let optimum = try! measured.exact().best!

    static func bestOfEvolution(_ q: CoExploration, seed: UInt64) throws -> CoExploration.Outcome? {
        var best: CoExploration.Outcome?
        try NASRun(problem: q, checkpointPath: nil, fingerprint: "", resume: false).run(strategy: .evolution, seed: seed, budget: 2000) { _, o in
            if o.feasible && (best == nil || o.weightedAccuracy > best!.weightedAccuracy) { best = o }
        }
        return best
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func verifiedPredictorSearchIsWithinHalfOfTheMeasuredOptimum(seed: UInt64) throws {
        let model = try Self.model(seed: seed)
        defer { unlink(model) }
        let cost = "{predictor: \(model), verify: {table: \(Self.table), missing: failed}, verify_designs: 10}"
        for strategy in ["exact", "evolution"] {
            // Each strategy with its own verification (nothing measured before).
            let p = try Self.problem(cost)
            #expect(p.verifications.count == 3 && !p.hasUnverifiedPredictions)
            let v = try p.verifiedSearch { q in strategy == "exact" ? try q.exact().best : try Self.bestOfEvolution(q, seed: seed) }
            #expect(v.rounds.count <= 10 && v.allowedRounds == 10)
            // The measurement budget: at most 10 rounds of 3 tasks' picks and 8 rivals each (270
            // cells, against 3 x 1,057 measured cells for brute force; 52 to 129 on these seeds).
            #expect(v.measuredArchitectures <= 270 && v.measuredArchitectures == v.rounds.reduce(0) { $0 + $1.newlyMeasured + $1.rivalsMeasured })
            let chosen = try #require(v.chosen, "\(strategy), seed \(seed): nothing feasible when measured")
            // Re-priced by the measured table alone: every spec holds, within 0.5 of the optimum.
            let repriced = Self.measured.evaluate(chosen.design)
            #expect(repriced.feasible, "\(strategy), seed \(seed): \(repriced.violations)")
            #expect(repriced.weightedAccuracy >= Self.optimum.weightedAccuracy - 0.5,
                    "\(strategy), seed \(seed): \(repriced.weightedAccuracy) against \(Self.optimum.weightedAccuracy), \(v.rounds.count) rounds")
            #expect(abs(repriced.latencyMs - chosen.latencyMs) < 1e-6 * chosen.latencyMs)
            #expect(v.provenance?.contains("=measured") == true && v.provenance?.contains("=predictor") == false)
        }
    }

    /// One round with 4 rivals measures, per task, the pick's cell and the 4 cells nearest it in
    /// accuracy (cheaper, dearer, cheaper, dearer; the other side when one has none left; on seed 2
    /// two tasks' picks are their fronts' most accurate cells) on the task's front of the predicted figures,
    /// the front found here by comparing every pair of cells.
    @Test func rivalsAreThePicksNeighboursOnTheFront() throws {
        let model = try Self.model(seed: 2)
        defer { unlink(model) }
        let p = try Self.problem("{predictor: \(model), verify: {table: \(Self.table), missing: failed}, verify_designs: 1, verify_rivals: 4}")
        let v = try p.verifiedSearch { try $0.exact().best }
        let pick = try #require(v.rounds.first?.predicted.design)
        #expect(v.rounds.count == 1 && v.rounds[0].rivalsMeasured == 12)
        for t in 0..<3 {
            let f = try #require(p.measuredFigures(pick, task: t))
            let acc = p.tasks[t].table!, floor = p.tasks[t].minimumAccuracy ?? -1
            let cells = acc.indices.filter { f.failed[$0] == nil && f.memoryKB![$0] <= 400 && acc[$0] >= floor }
            let front = cells.filter { a in
                !cells.contains { b in
                    f.latencyMs[b] <= f.latencyMs[a] && f.energyMJ![b] <= f.energyMJ![a] && acc[b] >= acc[a]
                        && (f.latencyMs[b] < f.latencyMs[a] || f.energyMJ![b] < f.energyMJ![a] || acc[b] > acc[a])
                }
            }
            let a0 = acc[pick.cells[t]]
            let below = front.filter { acc[$0] <= a0 && $0 != pick.cells[t] }.sorted { acc[$0] > acc[$1] }
            let above = front.filter { acc[$0] > a0 }.sorted { acc[$0] < acc[$1] }
            // In turn from each side, the other side's next ones when one runs out.
            let interleaved = (0..<max(below.count, above.count)).flatMap { i in [i < below.count ? below[i] : nil, i < above.count ? above[i] : nil].compactMap { $0 } }
            let expected = Set(interleaved.prefix(4) + [pick.cells[t]])
            #expect(Set(f.verification!.measured.keys) == expected, "task \(t)")
        }
    }

    /// `verify`, `verify_designs` and `verify_rivals` belong to a predictor, each error naming its
    /// key; `verify_rivals` is 0 to 100.
    @Test func misplacedVerificationIsRefused() throws {
        let model = try Self.model(seed: 1)
        defer { unlink(model) }
        func key(_ cost: String) -> String? {
            do { _ = try Self.problem(cost); return nil } catch { return (error as? SpecError)?.key }
        }
        #expect(key("{table: \(Self.table), missing: failed, verify: {table: \(Self.table)}}") == "devices[0].hardware_cost.verify")
        #expect(key("{predictor: \(model), verify_designs: 5}") == "devices[0].hardware_cost.verify_designs")
        #expect(key("{predictor: \(model), verify: {table: \(Self.table), missing: failed}, verify_designs: 0}") == "devices[0].hardware_cost.verify_designs")
        #expect(key("{predictor: \(model), verify: {table: \(Self.table), command: \"x {arch}\"}}") == "devices[0].hardware_cost.verify")
        #expect(key("{table: \(Self.table), missing: failed, verify_rivals: 2}") == "devices[0].hardware_cost.verify_rivals")
        #expect(key("{predictor: \(model), verify_rivals: 2}") == "devices[0].hardware_cost.verify_rivals")
        #expect(key("{predictor: \(model), verify: {table: \(Self.table), missing: failed}, verify_rivals: -1}") == "devices[0].hardware_cost.verify_rivals")
        #expect(key("{predictor: \(model), verify: {table: \(Self.table), missing: failed}, verify_rivals: 101}") == "devices[0].hardware_cost.verify_rivals")
    }

    /// Without verification the predicted pick can break the measured latency spec (seed 1: the
    /// predictor is optimistic near the limit), which is what verification is for; and the
    /// problem says its figures are predictions.
    @Test func unverifiedPredictionsAreSaidToBe() throws {
        let model = try Self.model(seed: 1)
        defer { unlink(model) }
        let p = try Self.problem("{predictor: \(model)}")
        #expect(p.hasUnverifiedPredictions && p.verifications.isEmpty)
        let pick = try #require(try p.exact().best)
        #expect(p.costProvenance(pick.design).contains("=predictor"))
    }
}
