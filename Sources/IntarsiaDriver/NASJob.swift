import Foundation
import IntarsiaCore
import IntarsiaASIC
import IntarsiaNAS
import IntarsiaReports
import IntarsiaSpec

/// `intarsia nas`: NAS-Bench-201 tasks and a heterogeneous ASIC searched together, by every
/// strategy the spec names, with the exact optimum and the successive baseline beside them.
public enum NASJob {
    public static func isNAS(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return false }
        return NASDesignSpec.isNAS(text: text)
    }

    /// Refuses a NAS spec given to a command for design specs, saying which command takes it.
    public static func refuse(_ path: String, in command: String) throws {
        if isNAS(path) { throw UserError("\(path): a NAS spec (it has tasks); 'intarsia \(command)' takes design specs; accepted: run it with 'intarsia nas \(path)'") }
    }

    public struct Options: Sendable {
        public var specPath: String
        public var budget: Int?
        public var seed: UInt64?
        public var strategies: [String]?
        /// Cache failed command-oracle calls too (default: a failure is retried on the next run).
        public var cacheFailures = false
        /// Continue from the checkpoint (PREFIX-checkpoint.txt) of an interrupted run.
        public var resume = false
        /// Several seeds: each sampling strategy (and the ablations) once per seed, reported per
        /// seed in PREFIX-seeds.csv and PREFIX-seeds-convergence.csv.
        public var seeds: [UInt64]?
        /// Stop after this many evaluations (checkpoint written), as an interruption would.
        public var stopAfter: Int?
        /// Write every architecture's cost on every distinct sub-accelerator instead of searching.
        public var spaceCosts = false
        /// The output prefix instead of the spec's `output.path` (e.g. one per array task).
        public var outputPrefix: String?
        /// Worker threads for pricing and the exact method (nil: all cores); the outputs are the
        /// same for any number.
        public var workers: Int?
        public init(specPath: String) { self.specPath = specPath }
    }

    /// What a seed sweep's CSV (PREFIX-seeds.csv) belongs to, beside it as PREFIX-seeds.csv.run.json:
    /// `intarsia merge` checks it to combine sweeps of disjoint seeds (one per array task).
    public struct SeedsRecord: Codable, Equatable {
        public var specPath: String
        /// FNV-1a of the spec's text.
        public var specFingerprint: String
        /// Budget, seed-independent settings and strategies: equal in every part of one sweep.
        public var options: String
        public var seeds: [UInt64]
        public var rows: Int
    }

    static let seedsHeader = ["strategy", "seed", "evaluations", "oracle_queries", "cost_model_checks", "best_weighted_accuracy", "optimum", "gap_to_optimum",
                              "evaluations_to_within_0.5", "seconds", "design (hardware | assignment | cells)"]

    /// The sampling runs of a seed sweep: the strategies as shipped, and ablations without the
    /// cost-model aids (repair, recombination, local search) and with the aids alone.
    struct Variant {
        var label: String
        var strategy: String
        var evolution = CoExploration.EvolutionSettings()
        var controller = CoExploration.ControllerSettings()
        var multiObjective = CoExploration.MultiObjectiveSettings()
    }

    static let samplingStrategies = ["random", "evolution", "reinforce", "moea"]

    static func variants(_ strategies: [String]) -> [Variant] {
        var none = CoExploration.EvolutionSettings()
        none.aids = .none
        var plain = CoExploration.ControllerSettings()
        plain.aids.recombineEvery = 0
        plain.aids.localSearchFraction = 0
        var local = CoExploration.EvolutionSettings()
        local.aids.localSearchFraction = 1
        var moeaPlain = CoExploration.MultiObjectiveSettings()
        moeaPlain.aids = .none
        var out: [Variant] = []
        for s in samplingStrategies where strategies.contains(s) { out.append(Variant(label: s, strategy: s)) }
        if strategies.contains("evolution") {
            out.append(Variant(label: "evolution-no-aids", strategy: "evolution", evolution: none))
            out.append(Variant(label: "local-search-only", strategy: "evolution", evolution: local))
        }
        if strategies.contains("reinforce") { out.append(Variant(label: "reinforce-no-aids", strategy: "reinforce", controller: plain)) }
        if strategies.contains("moea") { out.append(Variant(label: "moea-no-aids", strategy: "moea", multiObjective: moeaPlain)) }
        return out
    }

    static func describe(_ p: CoExploration, _ o: CoExploration.Outcome) -> [String] {
        [p.hardware.description(o.design.hardware),
         zip(p.tasks, o.design.assignment).map { "\($0.name):\($1)" }.joined(separator: " "),
         zip(p.tasks, o.design.cells).map { "\($0.name):\($1)" }.joined(separator: " ")]
    }

    static func row(_ p: CoExploration, _ strategy: String, _ step: Int, _ o: CoExploration.Outcome) -> [String] {
        [strategy, String(step)] + describe(p, o)
            + [DesignColumns.significant(o.latencyMs, 6), DesignColumns.significant(o.energyMJ, 6), DesignColumns.significant(o.areaMM2, 6),
               DesignColumns.significant(o.powerW, 4)]
            + p.tasks.indices.map { o.accuracyAsked || !o.accuracies.isEmpty ? String(format: "%.4f", o.accuracies[$0]) : "" }
            + [o.accuracyAsked || !o.accuracies.isEmpty ? String(format: "%.4f", o.weightedAccuracy) : "", o.feasible ? "true" : "false",
               o.violations.joined(separator: "; ")]
            + zip(p.tasks, o.design.cells).map { $0.space.architectureString($1) }
    }

    /// PREFIX-space-costs.csv: per task, architecture and distinct sub-accelerator, the cost
    /// model's cycles, latency and dynamic energy (what the searches read), for comparisons with
    /// other tools' figures for the same space (docs/NAS.md, rank correlation). Streamed to a
    /// temporary file renamed over the target.
    static func writeSpaceCosts(_ p: CoExploration, to path: String, stderr: (String) -> Void) throws -> String {
        let units = p.distinctUnits
        let tmp = try uniqueTemporary(besides: path)
        guard let out = FileHandle(forWritingAtPath: tmp) else {
            throw UserError("\(path): cannot be written (its temporary file \(tmp) does not open); accepted: a writable output directory")
        }
        var buffer = CSV.line(["task", "architecture_index", "architecture", "sub_accelerator", "cycles", "latency_ms", "dynamic_energy_mj"]) + "\n"
        var rows = 0
        for (u, unit) in units.enumerated() {
            for (t, task) in p.tasks.enumerated() {
                let c = p.unitCosts(u, task: t)
                for a in 0..<task.space.count {
                    buffer += CSV.line([task.name, String(a), task.space.architectureString(a), unit, DesignColumns.significant(c.cycles[a], 9),
                                        DesignColumns.significant(c.cycles[a] / (p.clockMHz * 1e3), 9), DesignColumns.significant(c.energy[a] * 1e-9, 9)]) + "\n"
                    rows += 1
                    if buffer.utf8.count > 1 << 20 { out.write(Data(buffer.utf8)); buffer = "" }
                }
            }
        }
        out.write(Data(buffer.utf8))
        try out.close()
        try replace(path, with: tmp)
        stderr("wrote \(path)\n")
        return "\(rows) rows: \(p.tasks.count) task(s) x \(units.count) distinct sub-accelerator(s) (\(units.joined(separator: ", ")))\n"
    }

    /// NASAIC's comparison (its Table 2): per strategy, its best design's accuracy per task,
    /// latency, energy, area and power, and whether each spec holds ("holds", "violated" or "-"
    /// when the spec sets none). PREFIX-comparison.csv; columns in docs/NAS.md.
    static func comparisonTable(_ p: CoExploration, _ rows: [(String, CoExploration.Outcome)]) -> (header: [String], rows: [[String]]) {
        let k = p.constraints
        let header = ["strategy"] + p.tasks.map { "accuracy_\($0.name)" } + ["weighted_accuracy", "latency_ms", "energy_mj", "area_mm2", "power_w",
                                                                            "latency_spec", "energy_spec", "area_spec", "power_spec", "accuracy_specs", "hardware_budgets", "all_specs_hold"]
        func status(_ limit: Double?, _ prefix: String, _ o: CoExploration.Outcome) -> String {
            guard limit != nil else { return "-" }
            return o.violations.contains { $0.hasPrefix(prefix) } ? "violated" : "holds"
        }
        let body = rows.map { name, o -> [String] in
            let accuracySpecs = p.tasks.contains { $0.minimumAccuracy != nil }
            let budgets = o.violations.filter { v in !["latency_ms", "energy_mj", "area_mm2", "power_w", "accuracy[", "oracle["].contains { v.hasPrefix($0) } }
            return [name] + p.tasks.indices.map { o.accuracies.indices.contains($0) ? String(format: "%.4f", o.accuracies[$0]) : "" }
                + [String(format: "%.4f", o.weightedAccuracy), DesignColumns.significant(o.latencyMs, 6), DesignColumns.significant(o.energyMJ, 6),
                   DesignColumns.significant(o.areaMM2, 6), DesignColumns.significant(o.powerW, 4),
                   status(k.maxLatencyMs, "latency_ms", o), status(k.maxEnergyMJ, "energy_mj", o), status(k.maxAreaMM2, "area_mm2", o), status(k.maxPowerW, "power_w", o),
                   accuracySpecs ? (o.violations.contains { $0.hasPrefix("accuracy[") } ? "violated" : "holds") : "-",
                   budgets.isEmpty ? "hold" : budgets.joined(separator: "; "), o.feasible ? "yes" : "no"]
        }
        return (header, body)
    }

    /// Each strategy's hypervolume of its feasible front, normalised: every objective mapped to
    /// [0, 1] between its best possible value (100% accuracy on every task; zero latency, energy,
    /// area) and the reference point, the spec's limit where there is one and otherwise 1.1 times
    /// the largest value any strategy's front holds (objectives that are 0 throughout, such as an
    /// FPGA's area, are left out). 1 would be a design perfect in everything.
    static func normalisedHypervolumes(_ p: CoExploration, _ fronts: [String: [[Double]]]) -> [String: Double] {
        let all = fronts.values.flatMap { $0 }
        guard !all.isEmpty else { return [:] }
        let k = p.constraints
        let limits: [Double?] = [0, k.maxLatencyMs, k.maxEnergyMJ, k.maxAreaMM2]
        let lo = [-p.tasks.reduce(0) { $0 + $1.weight * 100 }, 0, 0, 0]
        // Without a limit, 10% beyond the largest value (so that the fronts' extreme points count).
        let refs = (0..<4).map { d in limits[d] ?? all.map { $0[d] }.max()! * 1.1 }
        // Objectives that are 0 throughout (an FPGA's area, the accuracy of a hardware-only search).
        let keep = (0..<4).filter { d in refs[d] > lo[d] && all.contains { $0[d] != 0 } }
        let reference = [Double](repeating: 1, count: keep.count)
        return fronts.mapValues { points in
            Hypervolume.of(points.map { v in keep.map { d in (v[d] - lo[d]) / (refs[d] - lo[d]) } }, reference: reference)
        }
    }

    /// Best feasible weighted accuracy against evaluations, one line per run, the exact optimum
    /// dashed.
    static func convergencePlot(_ name: String, _ runs: [(String, [(x: Double, y: Double)])], optimum: Double?) -> String {
        return SVGPlot.lines(title: "\(name): convergence", xLabel: "evaluations", yLabel: "best feasible weighted accuracy",
                             series: runs.enumerated().map { (label: $1.0, color: PlotPalette.color($0, of: PlotPalette.lines), points: $1.1) },
                             reference: optimum.map { ($0, String(format: "exact optimum %.4f", $0)) })
    }

    /// Seeds and ranges, e.g. `1-10` or `1,4,7` (`--seeds`).
    public static func seeds(_ text: String) throws -> [UInt64] {
        var list: [UInt64] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false).map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            guard let lo = ends.first ?? nil, let hi = ends.last ?? nil, ends.count <= 2, lo <= hi, hi - lo < 10_000 else {
                throw UserError("--seeds '\(text)': accepted: seeds and ranges, e.g. 1-10 or 1,4,7")
            }
            list += Array(lo...hi)
        }
        return list
    }

    /// What the spec's referenced files decide (space files, table CSVs): each task's space size,
    /// its first and last architecture, and its table's accuracies, for the checkpoint's
    /// fingerprint.
    static func spacesFingerprint(_ p: CoExploration) -> String {
        p.tasks.map { t in
            "\n\(t.name) \(t.space.name) \(t.space.count) \(t.space.architectureString(0)) \(t.space.architectureString(t.space.count - 1)) "
                + (t.table.map { tb in String(tb.reduce(0) { $0 * 1.000001 + $1 }) } ?? "-")
        }.joined()
    }

    /// FNV-1a, 64 bits: identifies the spec and budget a checkpoint belongs to.
    static func fingerprint(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(format: "%016llx", h)
    }

    public static func run(specPath: String, budget: Int?, seed: UInt64?, strategies: [String]?, stderr: (String) -> Void) throws -> String {
        var o = Options(specPath: specPath)
        o.budget = budget
        o.seed = seed
        o.strategies = strategies
        return try run(o, stderr: stderr)
    }

    /// One sampling run's figures.
    struct RunResult {
        var label: String
        var seed: UInt64
        var evaluations = 0
        var oracleQueries = 0
        var stats = CoExploration.SearchStats()
        var best: CoExploration.Outcome?
        var reached: Int?
        var seconds = 0.0
        var convergence: [(Int, Double?)] = []
    }

    public static func run(_ options: Options, stderr: (String) -> Void) throws -> String {
        let specPath = options.specPath
        guard let data = FileManager.default.contents(atPath: specPath) else {
            throw UserError("\(specPath): no such file or not readable; accepted: a NAS spec (YAML)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw UserError("\(specPath): not UTF-8 text; accepted: a NAS spec (YAML)") }
        var spec = try NASDesignSpec.parse(text: text, file: specPath)
        if let p = options.outputPrefix { spec.outputPrefix = p }
        // The output protocol: the prefix's files checked and locked before any work.
        let origin = "\(specPath): output (prefix \(spec.outputPrefix))"
        do {
            try OutputPath.check(spec.outputPrefix + "-designs.csv", option: origin)
        } catch let e as OutputError { throw UserError(e.description) }
        let lock: OutputLock
        do { lock = try OutputLock(path: spec.outputPrefix) } catch let e as OutputError { throw UserError(e.description) }
        defer { lock.release() }
        if let b = options.budget { spec.budget = b }
        if let s = options.seed { spec.seed = s }
        if let s = options.strategies {
            for n in s where !NASDesignSpec.strategyNames.contains(n) { throw UserError("--strategy '\(n)': accepted: \(NASDesignSpec.strategyNames.joined(separator: ", "))") }
            spec.strategies = s
        }
        let sweep = options.seeds
        if let s = sweep, s.isEmpty { throw UserError("--seeds: give at least one seed") }
        let p = try spec.problem(workers: options.workers)
        for t in p.tasks { t.oracle?.cacheFailures = options.cacheFailures }
        if options.spaceCosts { return try writeSpaceCosts(p, to: spec.outputPrefix + "-space-costs.csv", stderr: stderr) }
        let header = ["strategy", "step", "hardware", "assignment", "cells", "latency_ms", "energy_mj", "area_mm2", "power_w"]
            + p.tasks.map { "accuracy_\($0.name)" } + ["weighted_accuracy", "feasible", "violations"] + p.tasks.map { "architecture_\($0.name)" }
        var designs = CSV.line(header) + "\n"
        var summary: [[String]] = []
        // NASAIC's table: per strategy its best design (the successive baseline's whatever its
        // specs), with each task's accuracy, the hardware figures and each spec's status.
        var comparison: [(String, CoExploration.Outcome)] = []
        var optimum: Double?
        // Every feasible design seen, for the best design and the Pareto set (weighted accuracy up;
        // latency, energy and area down).
        var front: [(String, Int, CoExploration.Outcome)] = []
        // Each strategy's own front (objective vectors), for its hypervolume.
        var strategyFronts: [String: [[Double]]] = [:]
        func offer(_ strategy: String, _ step: Int, _ o: CoExploration.Outcome) {
            guard o.feasible else { return }
            let v = [-o.weightedAccuracy, o.latencyMs, o.energyMJ, o.areaMM2]
            func key(_ x: CoExploration.Outcome) -> [Double] { [-x.weightedAccuracy, x.latencyMs, x.energyMJ, x.areaMM2] }
            var own = strategyFronts[strategy, default: []]
            if !own.contains(where: { f in zip(f, v).allSatisfy { $0 <= $1 } }) {
                own.removeAll { f in zip(v, f).allSatisfy { $0 <= $1 } }
                own.append(v)
                strategyFronts[strategy] = own
            }
            if front.contains(where: { f in zip(key(f.2), v).allSatisfy { $0 <= $1 } }) { return }
            front.removeAll { f in zip(v, key(f.2)).allSatisfy { $0 <= $1 } }
            front.append((strategy, step, o))
        }
        let tableOnly = !spec.tasks.contains { $0.table == nil }
        let powerSpec = p.constraints.maxPowerW != nil
        if spec.strategies.contains("exact") && !tableOnly {
            summary.append(["exact", "-", "-", "-", "not applicable: a task's accuracy is not in a table", "-", "-", "", ""])
        } else if spec.strategies.contains("exact") && powerSpec {
            // Power is energy over latency: not a constraint of the multiple-choice program, and
            // the pruning of dominated architectures does not keep an optimum under it.
            summary.append(["exact", "-", "-", "-", "not applicable: a power spec (the exact method proves optima under latency and energy specs)", "-", "-", "", ""])
        }
        if spec.strategies.contains("successive") && !p.tasks.allSatisfy({ $0.table != nil || $0.oracle != nil }) {
            summary.append(["successive", "-", "-", "-", "not applicable: a task has no accuracy oracle", "-", "-", "", ""])
        }
        if spec.strategies.contains("exact") && tableOnly && !powerSpec {
            let (best, candidates, seconds, unproven) = try p.exact()
            optimum = best?.weightedAccuracy
            if let b = best { comparison.append(("exact", b)) }
            if let b = best { designs += CSV.line(row(p, "exact", 0, b)) + "\n"; offer("exact", 0, b) }
            let label = unproven == 0 ? "exact (GLPK per hardware candidate, proven optimal)"
                : "exact (GLPK per hardware candidate; NOT proven: \(unproven) of \(candidates) solves ended without a proof)"
            summary.append([label, String(candidates) + " candidates", "-", "-",
                            best.map { String(format: "%.4f", $0.weightedAccuracy) } ?? "none feasible", String(format: "%.2f s", seconds), "-",
                            best.map { describe(p, $0).joined(separator: " | ") } ?? "", best == nil ? "" : "all specs hold"])
            stderr("exact: \(candidates) hardware candidates and assignments in \(String(format: "%.2f", seconds)) s"
                   + (unproven > 0 ? "; \(unproven) solves ended without a proof, so the best found is not a proven optimum" : "") + "\n")
        }
        if spec.strategies.contains("successive") && p.tasks.allSatisfy({ $0.table != nil || $0.oracle != nil }) {
            // With a command oracle, NAS first is a hardware-blind search of half the budget per task.
            let blind = tableOnly ? 0 : max(spec.budget / (2 * p.tasks.count), 1)
            let s = try p.successive(searchBudget: blind, seed: spec.seed)
            comparison.append(("successive", s))
            designs += CSV.line(row(p, "successive", 0, s)) + "\n"
            let how = tableOnly ? "successive (most accurate cells, then fastest hardware)"
                : "successive (hardware-blind search, \(blind) architectures per task, then fastest hardware)"
            summary.append([how, tableOnly ? "1" : String(blind * p.tasks.count + 1), "-", "-", String(format: "%.4f", s.weightedAccuracy), "-", "-",
                            describe(p, s).joined(separator: " | "), s.feasible ? "all specs hold" : "violates: " + s.violations.joined(separator: "; ")])
        }
        // The sampling strategies, through a checkpointed run.
        let checkpoint = spec.outputPrefix + "-checkpoint.txt"
        Interruption.shared.onInterrupt("intarsia nas interrupted; its evaluations so far are in the checkpoint \(checkpoint). Continue with:\n  intarsia \(CommandLine.arguments.dropFirst().map(shellWord).joined(separator: " "))\(options.resume ? "" : " --resume")\n")
        defer { Interruption.shared.onInterrupt(nil) }
        let run = try NASRun(problem: p, checkpointPath: checkpoint, fingerprint: fingerprint(text + "\nbudget \(spec.budget)" + spacesFingerprint(p)), resume: options.resume)
        run.stopAfter = options.stopAfter
        let plan = sweep == nil ? variants(spec.strategies).filter { samplingStrategies.contains($0.label) } : variants(spec.strategies)
        var results: [RunResult] = []
        try withoutActuallyEscaping(stderr) { stderr in
            for v in plan {
                for seed in sweep ?? [spec.seed] {
                    let start = Date()
                    var r = RunResult(label: v.label, seed: seed)
                    let resumedFrom = run.recordedCount(strategy: v.label, seed: seed)
                    if resumedFrom > 0 { stderr("\(v.label) (seed \(seed)): \(resumedFrom) evaluations replayed from \(checkpoint)\n") }
                    var lastReport = Date.distantPast
                    let visit: (Int, CoExploration.Outcome) -> Void = { step, o in
                        if isatty(STDERR_FILENO) != 0, Date().timeIntervalSince(lastReport) > 0.5 || step + 1 == spec.budget {
                            lastReport = Date()
                            let rate = Double(step + 1) / max(Date().timeIntervalSince(start), 1e-9)
                            stderr(String(format: "\r%@ (seed %llu): %d/%d designs, %.0f/s, ETA %.0f s, best %@   ", v.label, seed, step + 1, spec.budget, rate,
                                          Double(spec.budget - step - 1) / rate, r.best.map { String(format: "%.2f", $0.weightedAccuracy) } ?? "-"))
                            if step + 1 == spec.budget { stderr("\n") }
                        }
                        if sweep == nil {
                            designs += CSV.line(row(p, v.label, step, o)) + "\n"
                            offer(v.label, step, o)
                        }
                        r.evaluations = step + 1
                        if o.accuracyAsked { r.oracleQueries += 1 }
                        if o.feasible && (r.best == nil || o.weightedAccuracy > r.best!.weightedAccuracy) { r.best = o }
                        if let opt = optimum, r.reached == nil, let b = r.best, b.weightedAccuracy >= opt - 0.5 { r.reached = step + 1 }
                        if (step + 1) % 50 == 0 || step + 1 == spec.budget { r.convergence.append((step + 1, r.best?.weightedAccuracy)) }
                    }
                    do {
                        r.stats = try run.run(strategy: v.strategy, label: v.label, seed: seed, budget: spec.budget, evolution: v.evolution, controller: v.controller,
                                               multiObjective: v.multiObjective, visit: visit)
                    } catch let i as NASRun.Interrupted {
                        throw UserError("\(i.description); the checkpoint is \(checkpoint): rerun with --resume to continue")
                    } catch let e as NASRun.CheckpointError {
                        throw UserError(e.description)
                    }
                    r.seconds = Date().timeIntervalSince(start)
                    results.append(r)
                }
            }
        }
        run.finish()
        let hypervolumes = normalisedHypervolumes(p, strategyFronts)
        func frontColumns(_ label: String) -> [String] {
            [String(strategyFronts[label]?.count ?? 0), hypervolumes[label].map { String(format: "%.4f", $0) } ?? "-"]
        }
        // The exact method gives one design, not a front.
        if let i = summary.firstIndex(where: { $0[0].hasPrefix("exact (") }) { summary[i] += [optimum == nil ? "0" : "1", "-"] }
        for i in summary.indices where summary[i].count == 9 { summary[i] += ["-", "-"] }
        let budgetNote = { (r: RunResult) in "\(r.label) (\(spec.budget) evaluations, seed \(r.seed))" }
        for r in results where sweep == nil {
            if let b = r.best { comparison.append((r.label, b)) }
            summary.append([budgetNote(r), String(r.evaluations), String(r.oracleQueries), String(r.stats.costModelChecks),
                            r.best.map { String(format: "%.4f", $0.weightedAccuracy) } ?? "none feasible", String(format: "%.2f s", r.seconds),
                            r.reached.map(String.init) ?? (optimum == nil ? "-" : "not within 0.5"),
                            r.best.map { describe(p, $0).joined(separator: " | ") } ?? "", r.best == nil ? "" : "all specs hold"] + frontColumns(r.label))
        }
        var written: [String] = []
        if sweep != nil {
            let h = seedsHeader
            let rows = results.map { r -> [String] in
                [r.label, String(r.seed), String(r.evaluations), String(r.oracleQueries), String(r.stats.costModelChecks),
                 r.best.map { String(format: "%.4f", $0.weightedAccuracy) } ?? "", optimum.map { String(format: "%.4f", $0) } ?? "",
                 r.best.flatMap { b in optimum.map { String(format: "%.4f", $0 - b.weightedAccuracy) } } ?? "",
                 r.reached.map(String.init) ?? (optimum == nil ? "" : "not within 0.5"), String(format: "%.3f", r.seconds),
                 r.best.map { describe(p, $0).joined(separator: " | ") } ?? ""]
            }
            var staged = StagedFiles()
            try staged.stage(([h] + rows).map(CSV.line).joined(separator: "\n") + "\n", to: spec.outputPrefix + "-seeds.csv")
            var conv = CSV.line(["strategy", "seed", "evaluations", "best_feasible_weighted_accuracy"]) + "\n"
            for r in results { for (n, b) in r.convergence { conv += CSV.line([r.label, String(r.seed), String(n), b.map { String(format: "%.4f", $0) } ?? ""]) + "\n" } }
            try staged.stage(conv, to: spec.outputPrefix + "-seeds-convergence.csv")
            // The plot: per strategy, the mean over seeds of the best so far (a seed counts from
            // its first feasible design).
            var mean: [(String, [(x: Double, y: Double)])] = []
            let labels = results.map(\.label).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            for label in labels {
                var sums: [Int: (Double, Int)] = [:]
                for r in results where r.label == label {
                    for (n, b) in r.convergence {
                        guard let b else { continue }
                        sums[n, default: (0, 0)].0 += b
                        sums[n, default: (0, 0)].1 += 1
                    }
                }
                mean.append((label + " (mean of \(results.filter { $0.label == label }.count) seeds)", sums.keys.sorted().map { (Double($0), sums[$0]!.0 / Double(sums[$0]!.1)) }))
            }
            try staged.stage(convergencePlot(spec.name, mean, optimum: optimum), to: spec.outputPrefix + "-seeds-convergence.svg")
            let record = SeedsRecord(specPath: specPath, specFingerprint: fnv1a(text),
                                     options: "budget \(spec.budget) strategies \(spec.strategies.joined(separator: ",")) plan \(plan.map(\.label).joined(separator: ","))",
                                     seeds: sweep ?? [], rows: rows.count)
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            try staged.stage(String(decoding: try enc.encode(record), as: UTF8.self) + "\n", to: spec.outputPrefix + "-seeds.csv.run.json")
            do { try staged.commit(removingFirst: []) } catch { staged.discard(); throw error }
            written = ["-seeds.csv", "-seeds-convergence.csv", "-seeds-convergence.svg"]
            stderr("wrote \(spec.outputPrefix)\(written.joined(separator: ", "))\n")
            if optimum == nil && results.allSatisfy({ $0.best == nil }) {
                throw UserError("\(specPath): constraints: no strategy found a feasible design in any seed (or every accuracy evaluation failed); results are in \(spec.outputPrefix)-seeds.csv")
            }
            let table = results.map { r in
                [r.label, String(r.seed), r.best.map { String(format: "%.4f", $0.weightedAccuracy) } ?? "-", r.reached.map(String.init) ?? (optimum == nil ? "-" : "not within 0.5")]
            }
            return (optimum.map { "exact optimum: \(String(format: "%.4f", $0))\n" } ?? "")
                + TextTable.render(header: ["strategy", "seed", "best_weighted_accuracy", "to_within_0.5"], rows: table)
        }
        var convergence = CSV.line(["strategy", "evaluations", "best_feasible_weighted_accuracy"]) + "\n"
        for r in results { for (n, b) in r.convergence { convergence += CSV.line([r.label, String(n), b.map { String(format: "%.4f", $0) } ?? ""]) + "\n" } }
        let table = comparisonTable(p, comparison)
        let summaryHeader = ["strategy", "evaluations", "oracle_queries", "cost_model_checks", "best_weighted_accuracy", "time",
                             "evaluations_to_within_0.5_of_optimum", "design (hardware | assignment | cells)", "specs", "pareto_front_size", "hypervolume"]
        // The group replaced together: the previous run's files go before the first new one lands.
        var staged = StagedFiles()
        do {
            try staged.stage(designs, to: spec.outputPrefix + "-designs.csv")
            try staged.stage(convergence, to: spec.outputPrefix + "-convergence.csv")
            try staged.stage(convergencePlot(spec.name, results.map { r in (r.label, r.convergence.compactMap { n, b in b.map { (Double(n), $0) } }) }, optimum: optimum),
                             to: spec.outputPrefix + "-convergence.svg")
            let ordered = front.sorted { $0.2.weightedAccuracy > $1.2.weightedAccuracy }
            try staged.stage(([header] + ordered.map { row(p, $0.0, $0.1, $0.2) }).map(CSV.line).joined(separator: "\n") + "\n", to: spec.outputPrefix + "-pareto.csv")
            try staged.stage(([header] + ordered.prefix(1).map { row(p, $0.0, $0.1, $0.2) }).map(CSV.line).joined(separator: "\n") + "\n", to: spec.outputPrefix + "-best.csv")
            try staged.stage(([summaryHeader] + summary).map(CSV.line).joined(separator: "\n") + "\n", to: spec.outputPrefix + "-summary.csv")
            try staged.stage(([table.header] + table.rows).map(CSV.line).joined(separator: "\n") + "\n", to: spec.outputPrefix + "-comparison.csv")
            try staged.commit(removingFirst: staged.staged.map(\.path))
        } catch { staged.discard(); throw error }
        stderr("wrote \(spec.outputPrefix)-designs.csv, -convergence.csv, -convergence.svg, -summary.csv, -comparison.csv, -best.csv, -pareto.csv\n")
        if front.isEmpty {
            throw UserError("\(specPath): constraints: no design found by any strategy meets them (or every accuracy evaluation failed); the evaluated designs and why each fails are in \(spec.outputPrefix)-designs.csv (column violations)")
        }
        return TextTable.render(header: ["strategy", "best_weighted_accuracy", "to_within_0.5", "specs", "front", "hypervolume"],
                                rows: summary.map { [$0[0], $0[4], $0[6], $0[8], $0[9], $0[10]] })
            + "\n" + TextTable.render(header: table.header, rows: table.rows)
    }
}
