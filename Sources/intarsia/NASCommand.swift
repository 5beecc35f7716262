import ArgumentParser
import IntarsiaDriver

/// `intarsia nas`: the co-exploration (its default subcommand, `run`) and the commands that fit
/// hardware-cost sources to measurements.
struct NAS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nas",
        abstract: NASRun.configuration.abstract,
        discussion: NASRun.configuration.discussion,
        subcommands: [NASRun.self, FitOperators.self, TrainPredictor.self], defaultSubcommand: NASRun.self)
}

struct NASRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Search network architectures for several tasks together with a heterogeneous ASIC or an FPGA (NASAIC).",
        discussion: """
        Examples:
          intarsia nas designs/nas/nb201-three-task-asic.yaml
          intarsia nas designs/nas/nb201-three-task-asic.yaml --strategy evolution --budget 2000 --seed 3
          intarsia nas designs/nas/nb201-three-task-asic.yaml --resume            (continue an interrupted run)
          intarsia nas designs/nas/nb201-three-task-asic.yaml --seeds 1-10        (every sampling strategy per seed)
          intarsia nas designs/nas/nb201-space-costs.yaml --space-costs           (every architecture's cost, no search)
        Writes PREFIX-designs.csv (every evaluated design), PREFIX-convergence.csv, PREFIX-summary.csv,
        PREFIX-best.csv and PREFIX-pareto.csv; with --seeds, PREFIX-seeds.csv and PREFIX-seeds-convergence.csv.
        A run keeps a checkpoint (PREFIX-checkpoint.txt) until it completes.
        Hardware costs from measurements (docs/NAS.md): intarsia nas fit-operators, intarsia nas train-predictor.
        """)

    @Argument(help: "NAS spec (YAML)") var spec: String
    @Option(help: "exact, successive, random, evolution, reinforce or moea (repeatable; default: the spec's)") var strategy: [String] = []
    @Option(parsing: .unconditional, help: "Evaluations for random, evolution and reinforce") var budget: Int?
    @Option(parsing: .unconditional, help: "Random seed") var seed: UInt64?
    @Flag(help: "Continue an interrupted run of the same spec and budget from its checkpoint (PREFIX-checkpoint.txt)") var resume = false
    @Option(parsing: .unconditional, help: "Run each sampling strategy once per seed, e.g. 1-10 or 1,4,7 (writes PREFIX-seeds.csv)") var seeds: String?
    @Flag(help: "Write the cost of every architecture of every task on every distinct sub-accelerator (PREFIX-space-costs.csv) instead of searching") var spaceCosts = false
    @Option(name: .shortAndLong, help: "Output prefix instead of the spec's output.path (e.g. out/seed-3 for one array task)") var output: String?
    @Flag(help: "Cache failed accuracy-command calls too (default: failures are retried on the next run)") var cacheFailures = false
    @Option(parsing: .unconditional, help: .hidden) var stopAfter: Int?
    @Option(parsing: .unconditional, help: "Worker threads for pricing and the exact method's programs (default: all cores)") var jobs: Int?

    func run() throws {
        try reportingErrors {
            let o = try NASJob.Options(specPath: spec, strategies: strategy, budget: budget, seed: seed, resume: resume, seeds: seeds,
                                       spaceCosts: spaceCosts, outputPrefix: output, cacheFailures: cacheFailures, stopAfter: stopAfter, jobs: jobs)
            print(try NASJob.run(o, stderr: writeStderr), terminator: "")
        }
    }
}

/// `intarsia nas fit-operators`: an operator table fitted to measured NAS-Bench-201 cells.
struct FitOperators: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit-operators",
        abstract: "Fit a NAS-Bench-201 operator table (cost per operator kind and position, plus an intercept) to measured cells.",
        discussion: """
        Non-negative least squares on whole-network measurements (columns architecture or arch, and
        latency_s|ms|us, energy_j|mj|uj, power_w|mw, memory_kb...; docs/NAS.md). Reports each figure's
        Spearman rank correlation and mean relative error on held-out cells of a seeded split.
        Examples:
          intarsia nas fit-operators validation/nas-hw/nats-bench-mcu-nrf5340-all.csv -o mcu-operators.csv
          intarsia nas fit-operators MEASUREMENTS.csv -o table.csv --train 100 --seed 3   (fit on 100 cells, judge on the rest)
        A spec uses the table as hardware_cost: {operator_table: table.csv}.
        """)

    @Argument(help: "Measurements CSV: architecture text and measured figures per row") var measurements: String
    @Option(name: .shortAndLong, help: "Operator table CSV to write") var output: String
    @Option(parsing: .unconditional, help: "Fit on this many cells drawn by --seed and judge on the rest (default: judge on a 20% split, write the table fitted on all)") var train: Int?
    @Option(parsing: .unconditional, help: "Seed of the split") var seed: UInt64 = 1

    func run() throws {
        try reportingErrors { print(try NASFitJob.fitOperators(measurements: measurements, output: output, train: train, seed: seed), terminator: "") }
    }
}

/// `intarsia nas train-predictor`: gradient-boosted trees learned from measured NAS-Bench-201 cells.
struct TrainPredictor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-predictor",
        abstract: "Train a hardware-cost predictor (XGBoost gradient-boosted trees) on measured NAS-Bench-201 cells.",
        discussion: """
        Features: the cell's graph encoding, operator counts by kind and position, MACs, parameters,
        depth (docs/NAS.md). Reports each figure's Spearman rank correlation on the validation cells
        of a seeded split.
        Examples:
          intarsia nas train-predictor validation/nas-hw/nats-bench-mcu-nrf5340-all.csv -o mcu.predictor.json
          intarsia nas train-predictor MEASUREMENTS.csv -o model.json --train 100 --seed 3   (train on 100 cells, validate on the rest)
          intarsia nas train-predictor MEASUREMENTS.csv -o model.json --active 20   (and the 20 cells to measure next: model-active.csv)
        A spec uses the model as hardware_cost: {predictor: model.json}.
        """)

    @Argument(help: "Measurements CSV: architecture text and measured figures per row") var measurements: String
    @Option(name: .shortAndLong, help: "Model file to write (JSON)") var output: String
    @Option(parsing: .unconditional, help: "Train on this many cells drawn by --seed and validate on the rest (default: validate on a 20% split, write the model trained on all)") var train: Int?
    @Option(parsing: .unconditional, help: "Seed of the split and of the trees") var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Also pick the next N architectures to measure (largest spread over a bootstrap ensemble of predictors)") var active: Int?
    @Option(help: "With --active: pick from the architectures of this CSV (column architecture or arch) instead of every NAS-Bench-201 cell") var pool: String?
    @Option(help: "With --active: the picks' CSV (default: the model's path with -active.csv)") var activeOutput: String?

    func run() throws {
        try reportingErrors {
            let a = active.map { NASFitJob.ActiveRequest(count: $0, pool: pool, output: activeOutput) }
            print(try NASFitJob.trainPredictor(measurements: measurements, output: output, train: train, seed: seed, active: a), terminator: "")
        }
    }
}
