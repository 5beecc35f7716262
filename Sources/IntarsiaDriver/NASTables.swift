import Foundation
import IntarsiaNAS
import IntarsiaRows

extension NASColumns {
    /// One line of PREFIX-summary.csv: a strategy's run (or why it did not run). Fields are text:
    /// a method that does not apply says so in its figures' place.
    struct Summary: Sendable {
        var strategy: String
        var evaluations: String
        var oracleQueries = "-"
        var costModelChecks = "-"
        var bestWeightedAccuracy: String
        var time = "-"
        var toWithinHalfOfOptimum = "-"
        var design = ""
        var specs = ""
        var frontSize = "-"
        var hypervolume = "-"

        /// A method the spec names that does not apply to it, and why.
        static func notApplicable(_ strategy: String, _ why: String) -> Summary {
            Summary(strategy: strategy, evaluations: "-", bestWeightedAccuracy: "not applicable: " + why)
        }
    }

    static let summaryStrategy = Column<Summary>("strategy") { $0.strategy }
    static let summarySpecs = Column<Summary>("specs") { $0.specs }

    static let summary = Columns<Summary>([
        summaryStrategy,
        Column("evaluations") { $0.evaluations },
        Column("oracle_queries") { $0.oracleQueries },
        Column("cost_model_checks") { $0.costModelChecks },
        Column("best_weighted_accuracy") { $0.bestWeightedAccuracy },
        Column("time") { $0.time },
        Column("evaluations_to_within_0.5_of_optimum") { $0.toWithinHalfOfOptimum },
        Column("design (hardware | assignment | cells)") { $0.design },
        summarySpecs,
        Column("pareto_front_size") { $0.frontSize },
        Column("hypervolume") { $0.hypervolume },
    ])

    /// The summary as the terminal shows it.
    static let summaryTerminal = Columns<Summary>([
        summaryStrategy,
        Column("best_weighted_accuracy") { $0.bestWeightedAccuracy },
        Column("to_within_0.5") { $0.toWithinHalfOfOptimum },
        summarySpecs,
        Column("front") { $0.frontSize },
        Column("hypervolume") { $0.hypervolume },
    ])

    /// One line of PREFIX-seeds.csv: a sampling run of a seed sweep, against the exact optimum.
    struct Seed: Sendable {
        var run: NASJob.RunResult
        var optimum: Double?
        /// The best design's hardware, assignment and cells ("" when none is feasible).
        var design: String

        /// Evaluations until the best came within 0.5 points of the optimum, or why not.
        func reached(none: String) -> String { run.reached.map(String.init) ?? (optimum == nil ? none : "not within 0.5") }
    }

    static let seedStrategy = Column<Seed>("strategy") { $0.run.label }
    static let seedSeed = Column<Seed>("seed") { String($0.run.seed) }

    static let seeds = Columns<Seed>([
        seedStrategy, seedSeed,
        Column("evaluations") { String($0.run.evaluations) },
        Column("oracle_queries") { String($0.run.oracleQueries) },
        Column("cost_model_checks") { String($0.run.stats.costModelChecks) },
        Column("best_weighted_accuracy") { $0.run.best.map { accuracy($0.weightedAccuracy) } ?? "" },
        Column("optimum") { $0.optimum.map(accuracy) ?? "" },
        Column("gap_to_optimum") { s in s.run.best.flatMap { b in s.optimum.map { accuracy($0 - b.weightedAccuracy) } } ?? "" },
        Column("evaluations_to_within_0.5") { $0.reached(none: "") },
        Column("seconds") { Figures.fixed($0.run.seconds, 3) },
        Column("design (hardware | assignment | cells)") { $0.design },
    ])

    /// The seed sweep as the terminal shows it.
    static let seedsTerminal = Columns<Seed>([
        seedStrategy, seedSeed,
        Column("best_weighted_accuracy") { $0.run.best.map { accuracy($0.weightedAccuracy) } ?? "-" },
        Column("to_within_0.5") { $0.reached(none: "-") },
    ])

    /// NASAIC's comparison (its Table 2): per strategy, its best design's accuracy per task,
    /// latency, energy, area and power, and whether each spec holds ("holds", "violated" or "-"
    /// when the spec sets none). PREFIX-comparison.csv; columns in docs/NAS.md.
    static func comparison(_ p: CoExploration) -> Columns<Design> {
        let k = p.constraints
        func status(_ name: String, _ limit: Double?, _ prefix: String) -> Column<Design> {
            Column(name) { d in
                guard limit != nil else { return "-" }
                return d.outcome.violations.contains { $0.hasPrefix(prefix) } ? "violated" : "holds"
            }
        }
        let accuracySpecs = p.tasks.contains { $0.minimumAccuracy != nil }
        let accuracies = p.tasks.indices.map { t in
            Column<Design>("accuracy_\(p.tasks[t].name)") { $0.outcome.accuracies.indices.contains(t) ? accuracy($0.outcome.accuracies[t]) : "" }
        }
        let specs: [Column<Design>] = [
            status("latency_spec", k.maxLatencyMs, "latency_ms"), status("energy_spec", k.maxEnergyMJ, "energy_mj"),
            status("area_spec", k.maxAreaMM2, "area_mm2"), status("power_spec", k.maxPowerW, "power_w"),
            Column("accuracy_specs") { d in accuracySpecs ? (d.outcome.violations.contains { $0.hasPrefix("accuracy[") } ? "violated" : "holds") : "-" },
            Column("hardware_budgets") { d in
                let budgets = d.outcome.violations.filter { v in
                    !["latency_ms", "energy_mj", "area_mm2", "power_w", "accuracy[", "oracle[", "memory_kb[", "hardware_cost["].contains { v.hasPrefix($0) }
                }
                return budgets.isEmpty ? "hold" : budgets.joined(separator: "; ")
            },
            Column("all_specs_hold") { $0.outcome.feasible ? "yes" : "no" },
        ]
        // Measured hardware costs (docs/NAS.md): the memory spec, failed hardware evaluations and
        // which kind priced each task's figures; absent when models price everything.
        let measured: [Column<Design>] = !p.hasMeasuredCosts ? [] : [
            status("memory_spec", p.memoryLimitKB, "memory_kb["),
            Column("hardware_cost_failures") { d in
                let f = d.outcome.violations.filter { $0.hasPrefix("hardware_cost[") }
                return f.isEmpty ? "none" : f.joined(separator: "; ")
            },
            Column("hardware_cost") { $0.provenance ?? p.costProvenance($0.outcome.design) },
        ]
        return Columns([Column("strategy") { $0.strategy }] + accuracies + [Column("weighted_accuracy") { accuracy($0.outcome.weightedAccuracy) }]
            + hardwareFigures(\.outcome) + specs + measured)
    }
}
