import Foundation
import IntarsiaCore
import IntarsiaExplore
import IntarsiaASIC
import IntarsiaNAS
import IntarsiaReports
import IntarsiaRows
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

    /// PREFIX-seeds.csv's columns (what `intarsia merge` checks the parts of a sweep against).
    static var seedsHeader: [String] { NASColumns.seeds.header }

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
    static func fingerprint(_ text: String) -> String { FNV1a(text).hex16 }

    public static func run(specPath: String, budget: Int?, seed: UInt64?, strategies: [String]?, stderr: (String) -> Void) throws -> String {
        var o = Options(specPath: specPath)
        o.budget = budget
        o.seed = seed
        o.strategies = strategies
        return try run(o, stderr: stderr)
    }

    public static func run(_ options: Options, stderr: (String) -> Void) throws -> String {
        let specPath = options.specPath
        let data: Data
        do throws(InputFile.Unreadable) { data = try InputFile.read(specPath) } catch {
            throw UserError("\(error); accepted: a NAS spec (YAML)")
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
            spec.strategies = try s.map { n in
                guard let s = NASStrategy(rawValue: n) else { throw UserError("--strategy '\(n)': accepted: \(NASStrategy.names.joined(separator: ", "))") }
                return s
            }
        }
        let sweep = options.seeds
        if let s = sweep, s.isEmpty { throw UserError("--seeds: give at least one seed") }
        let p = try spec.problem(workers: options.workers)
        for t in p.tasks { t.oracle?.cacheFailures = options.cacheFailures }
        if options.spaceCosts { return try writeSpaceCosts(p, to: spec.outputPrefix + "-space-costs.csv", stderr: stderr) }
        let tally = NASTally(p)
        try baselines(spec, tally, stderr: stderr)
        // The sampling strategies, through a checkpointed run.
        let checkpoint = spec.outputPrefix + "-checkpoint.txt"
        Interruption.shared.onInterrupt("intarsia nas interrupted; its evaluations so far are in the checkpoint \(checkpoint). Continue with:\n  intarsia \(CommandLine.arguments.dropFirst().map(shellWord).joined(separator: " "))\(options.resume ? "" : " --resume")\n")
        defer { Interruption.shared.onInterrupt(nil) }
        let run = try NASRun(problem: p, checkpointPath: checkpoint, fingerprint: fingerprint(text + "\nbudget \(spec.budget)" + spacesFingerprint(p)), resume: options.resume)
        run.stopAfter = options.stopAfter
        let plan = sweep == nil ? variants(spec.strategies).filter { !$0.ablation } : variants(spec.strategies)
        let results = try sample(plan, seeds: sweep ?? [spec.seed], sweep: sweep != nil, run: run, spec: spec, tally: tally, checkpoint: checkpoint, stderr: stderr)
        run.finish()
        if let seeds = sweep {
            return try writeSweep(results, p: p, spec: spec, specPath: specPath, specText: text, optimum: tally.optimum, plan: plan, seeds: seeds, stderr: stderr)
        }
        summarise(results, spec: spec, tally: tally)
        try verifyPredictions(spec, tally: tally, results: results, stderr: stderr)
        return try writeRun(tally, results: results, spec: spec, specPath: specPath, stderr: stderr)
    }

    /// The exact optimum and the successive baseline (or why they do not apply) into the tally.
    static func baselines(_ spec: NASDesignSpec, _ tally: NASTally, stderr: (String) -> Void) throws {
        let p = tally.problem
        let tableOnly = !spec.tasks.contains { $0.table == nil }
        let powerSpec = p.constraints.maxPowerW != nil
        let oracles = p.tasks.allSatisfy { $0.table != nil || $0.oracle != nil }
        if spec.strategies.contains(.exact) && !tableOnly {
            tally.summary.append(.notApplicable("exact", "a task's accuracy is not in a table"))
        } else if spec.strategies.contains(.exact) && powerSpec {
            // Power is energy over latency: not a constraint of the multiple-choice program, and
            // the pruning of dominated architectures does not keep an optimum under it.
            tally.summary.append(.notApplicable("exact", "a power spec (the exact method proves optima under latency and energy specs)"))
        }
        if spec.strategies.contains(.successive) && !oracles {
            tally.summary.append(.notApplicable("successive", "a task has no accuracy oracle"))
        }
        if spec.strategies.contains(.exact) && tableOnly && !powerSpec {
            let (best, candidates, seconds, unproven) = try p.exact()
            tally.optimum = best?.weightedAccuracy
            if let b = best {
                tally.comparison.append(NASColumns.Design(strategy: "exact", step: 0, outcome: b))
                tally.record(NASColumns.Design(strategy: "exact", step: 0, outcome: b))
            }
            let label = unproven == 0 ? "exact (GLPK per hardware candidate, proven optimal)"
                : "exact (GLPK per hardware candidate; NOT proven: \(unproven) of \(candidates) solves ended without a proof)"
            // The exact method gives one design, not a front.
            tally.summary.append(NASColumns.Summary(strategy: label, evaluations: String(candidates) + " candidates",
                                                    bestWeightedAccuracy: best.map { NASColumns.accuracy($0.weightedAccuracy) } ?? "none feasible",
                                                    time: String(format: "%.2f s", seconds), design: best.map { NASColumns.describe(p, $0).joined(separator: " | ") } ?? "",
                                                    specs: best == nil ? "" : "all specs hold", frontSize: best == nil ? "0" : "1"))
            stderr("exact: \(candidates) hardware candidates and assignments in \(String(format: "%.2f", seconds)) s"
                   + (unproven > 0 ? "; \(unproven) solves ended without a proof, so the best found is not a proven optimum" : "") + "\n")
        }
        if spec.strategies.contains(.successive) && oracles {
            // With a command oracle, NAS first is a hardware-blind search of half the budget per task.
            let blind = tableOnly ? 0 : max(spec.budget / (2 * p.tasks.count), 1)
            let s = try p.successive(searchBudget: blind, seed: spec.seed)
            tally.comparison.append(NASColumns.Design(strategy: "successive", step: 0, outcome: s))
            tally.record(NASColumns.Design(strategy: "successive", step: 0, outcome: s), offer: false)
            let how = tableOnly ? "successive (most accurate cells, then fastest hardware)"
                : "successive (hardware-blind search, \(blind) architectures per task, then fastest hardware)"
            tally.summary.append(NASColumns.Summary(strategy: how, evaluations: tableOnly ? "1" : String(blind * p.tasks.count + 1),
                                                    bestWeightedAccuracy: NASColumns.accuracy(s.weightedAccuracy), design: NASColumns.describe(p, s).joined(separator: " | "),
                                                    specs: s.feasible ? "all specs hold" : "violates: " + s.violations.joined(separator: "; ")))
        }
    }

    /// The sampling runs' summary rows and best designs into the tally, with each strategy's
    /// front size and hypervolume.
    static func summarise(_ results: [RunResult], spec: NASDesignSpec, tally: NASTally) {
        let hypervolumes = normalisedHypervolumes(tally.problem, tally.strategyFronts)
        for r in results {
            if let b = r.best { tally.comparison.append(NASColumns.Design(strategy: r.label, step: 0, outcome: b)) }
            tally.summary.append(NASColumns.Summary(
                strategy: "\(r.label) (\(spec.budget) evaluations, seed \(r.seed))", evaluations: String(r.evaluations), oracleQueries: String(r.oracleQueries),
                costModelChecks: String(r.stats.costModelChecks), bestWeightedAccuracy: r.best.map { NASColumns.accuracy($0.weightedAccuracy) } ?? "none feasible",
                time: String(format: "%.2f s", r.seconds), toWithinHalfOfOptimum: r.reached.map(String.init) ?? (tally.optimum == nil ? "-" : "not within 0.5"),
                design: r.best.map { NASColumns.describe(tally.problem, $0).joined(separator: " | ") } ?? "", specs: r.best == nil ? "" : "all specs hold",
                frontSize: String(tally.strategyFronts[r.label]?.count ?? 0), hypervolume: hypervolumes[r.label].map { Figures.fixed($0, 4) } ?? "-"))
        }
    }
}
