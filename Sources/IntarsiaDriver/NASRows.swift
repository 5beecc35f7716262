import Foundation
import IntarsiaNAS
import IntarsiaRows

/// The rows of `intarsia nas`'s files and their column lists (one list per file; columns in
/// docs/NAS.md). Rows keep their typed values until written: nothing is read back by position.
enum NASColumns {
    /// One design of a run: the strategy that found it, its step and its outcome
    /// (PREFIX-designs.csv, -pareto.csv, -best.csv).
    struct Design: Sendable {
        var strategy: String
        var step: Int
        var outcome: CoExploration.Outcome
        /// Which kind priced each task's figures when it is not what the run's problem says (a
        /// design measured by a verification); nil: `CoExploration.costProvenance`.
        var provenance: String? = nil
    }

    /// The hardware, the assignment and the cells of a design, as the files write them.
    static func describe(_ p: CoExploration, _ o: CoExploration.Outcome) -> [String] {
        [p.hardware.description(o.design.hardware),
         zip(p.tasks, o.design.assignment).map { "\($0.name):\($1)" }.joined(separator: " "),
         zip(p.tasks, o.design.cells).map { "\($0.name):\($1)" }.joined(separator: " ")]
    }

    /// An accuracy to 4 decimals.
    static func accuracy(_ x: Double) -> String { Figures.fixed(x, 4) }

    /// Latency, energy, area (6 significant digits) and power (4), the hardware figures every
    /// NAS file writes alike.
    static func hardwareFigures<Row>(_ outcome: @escaping @Sendable (Row) -> CoExploration.Outcome) -> [Column<Row>] {
        [Column("latency_ms") { Figures.significant(outcome($0).latencyMs, 6) },
         Column("energy_mj") { Figures.significant(outcome($0).energyMJ, 6) },
         Column("area_mm2") { Figures.significant(outcome($0).areaMM2, 6) },
         Column("power_w") { Figures.significant(outcome($0).powerW, 4) }]
    }

    static func designs(_ p: CoExploration) -> Columns<Design> {
        @Sendable func known(_ o: CoExploration.Outcome) -> Bool { o.accuracyAsked || !o.accuracies.isEmpty }
        let described: [Column<Design>] = ["hardware", "assignment", "cells"].enumerated().map { k, name in
            Column(name) { describe(p, $0.outcome)[k] }
        }
        // Accuracies are empty for a design whose accuracy was never asked (it broke a hardware spec).
        let accuracies = p.tasks.indices.map { t in
            Column<Design>("accuracy_\(p.tasks[t].name)") { known($0.outcome) ? accuracy($0.outcome.accuracies[t]) : "" }
        }
        let architectures = p.tasks.indices.map { t in
            Column<Design>("architecture_\(p.tasks[t].name)") { p.tasks[t].space.architectureString($0.outcome.design.cells[t]) }
        }
        return Columns([Column("strategy") { $0.strategy }, Column("step") { String($0.step) }] + described + hardwareFigures(\.outcome)
            + accuracies
            + [Column("weighted_accuracy") { known($0.outcome) ? accuracy($0.outcome.weightedAccuracy) : "" },
               Column("feasible") { Figures.flag($0.outcome.feasible) },
               Column("violations") { $0.outcome.violations.joined(separator: "; ") }]
            + architectures)
    }

    /// One architecture's cost on one sub-accelerator (PREFIX-space-costs.csv).
    struct SpaceCost: Sendable {
        var task: String
        var architectureIndex: Int
        var architecture: String
        var unit: String
        var cycles: Double
        var clockMHz: Double
        var dynamicEnergyNJ: Double
    }

    static let spaceCosts = Columns<SpaceCost>([
        Column("task") { $0.task },
        Column("architecture_index") { String($0.architectureIndex) },
        Column("architecture") { $0.architecture },
        Column("sub_accelerator") { $0.unit },
        Column("cycles") { Figures.significant($0.cycles, 9) },
        Column("latency_ms") { Figures.significant($0.cycles / ($0.clockMHz * 1e3), 9) },
        Column("dynamic_energy_mj") { Figures.significant($0.dynamicEnergyNJ * 1e-9, 9) },
    ])

    /// The best feasible weighted accuracy of one run after some evaluations (nil: none yet).
    struct ConvergencePoint: Sendable {
        var strategy: String
        var seed: UInt64
        var evaluations: Int
        var best: Double?
    }

    static let bestSoFar = Column<ConvergencePoint>("best_feasible_weighted_accuracy") { $0.best.map(accuracy) ?? "" }

    /// PREFIX-convergence.csv: one run per strategy.
    static let convergence = Columns<ConvergencePoint>([Column("strategy") { $0.strategy }, Column("evaluations") { String($0.evaluations) }, bestSoFar])

    /// PREFIX-seeds-convergence.csv: one run per strategy and seed.
    static let seedsConvergence = Columns<ConvergencePoint>([
        Column("strategy") { $0.strategy }, Column("seed") { String($0.seed) }, Column("evaluations") { String($0.evaluations) }, bestSoFar,
    ])
}
