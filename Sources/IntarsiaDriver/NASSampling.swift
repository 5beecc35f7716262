import Foundation
import IntarsiaCore
import IntarsiaNAS
import IntarsiaRows
import IntarsiaSpec

extension NASJob {
    /// The sampling runs of a seed sweep: the strategies as shipped, and ablations without the
    /// cost-model aids (repair, recombination, local search) and with the aids alone.
    struct Variant: Sendable {
        var label: String
        var strategy: NASStrategy
        var evolution = CoExploration.EvolutionSettings()
        var controller = CoExploration.ControllerSettings()
        var multiObjective = CoExploration.MultiObjectiveSettings()
        /// An ablation (run in seed sweeps only), not the strategy as shipped.
        var ablation = false
    }

    static func variants(_ strategies: [NASStrategy]) -> [Variant] {
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
        for s in NASStrategy.sampling where strategies.contains(s) { out.append(Variant(label: s.rawValue, strategy: s)) }
        if strategies.contains(.evolution) {
            out.append(Variant(label: "evolution-no-aids", strategy: .evolution, evolution: none, ablation: true))
            out.append(Variant(label: "local-search-only", strategy: .evolution, evolution: local, ablation: true))
        }
        if strategies.contains(.reinforce) { out.append(Variant(label: "reinforce-no-aids", strategy: .reinforce, controller: plain, ablation: true)) }
        if strategies.contains(.moea) { out.append(Variant(label: "moea-no-aids", strategy: .moea, multiObjective: moeaPlain, ablation: true)) }
        return out
    }

    /// One sampling run's figures.
    struct RunResult: Sendable {
        var label: String
        var seed: UInt64
        var evaluations = 0
        var oracleQueries = 0
        var stats = CoExploration.SearchStats()
        var best: CoExploration.Outcome?
        var reached: Int?
        var seconds = 0.0
        var convergence: [(Int, Double?)] = []
        /// Every design in order, kept outside a seed sweep for the designs file.
        var designs: [NASColumns.Design] = []

        var convergencePoints: [NASColumns.ConvergencePoint] {
            convergence.map { NASColumns.ConvergencePoint(strategy: label, seed: seed, evaluations: $0.0, best: $0.1) }
        }
    }

    /// Runs every variant of `plan` once per seed through the checkpointed `run`, on the
    /// problem's workers (`sampleOrder` says when they go one after another); outside a seed
    /// sweep each design goes to `tally`, in the order of the plan, the seeds and the steps, as
    /// one after another would record them.
    static func sample(_ plan: [Variant], seeds: [UInt64], sweep: Bool, run: NASRun, spec: NASDesignSpec, tally: NASTally, checkpoint: String,
                       stderr: (String) -> Void) throws -> [RunResult] {
        let items = plan.flatMap { v in seeds.map { (variant: v, seed: $0) } }
        for (v, seed) in items {
            let resumedFrom = run.recordedCount(strategy: v.label, seed: seed)
            if resumedFrom > 0 { stderr("\(v.label) (seed \(seed)): \(resumedFrom) evaluations replayed from \(checkpoint)\n") }
        }
        let (workers, serial) = sampleWorkers(run, runs: items.count)
        if let why = serial { stderr("sampling runs one after another: \(why)\n") }
        let (budget, optimum) = (spec.budget, tally.optimum)
        var results: [RunResult] = []
        if workers <= 1 {
            try withoutActuallyEscaping(stderr) { stderr in
                for (v, seed) in items {
                    results.append(try sampleOnce(v, seed: seed, keepDesigns: !sweep, run: run, budget: budget, optimum: optimum, checkpoint: checkpoint, progress: stderr))
                }
            }
        } else {
            // Progress lines (a terminal only) straight to stderr: the runs report from their threads.
            let terminal: @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
            results = try Parallel.map(items.count, workers: workers) { k in
                try sampleOnce(items[k].variant, seed: items[k].seed, keepDesigns: !sweep, run: run, budget: budget, optimum: optimum, checkpoint: checkpoint,
                               progress: terminal)
            }
        }
        if !sweep { for r in results { for d in r.designs { tally.record(d) } } }
        return results
    }

    /// How many threads the sampling runs take, and why they take one when the problem has more
    /// workers and there is more than one run: a command oracle (its command is a user's, asked
    /// one design at a time), or `--stop-after` (it counts evaluations in the order of the runs).
    static func sampleWorkers(_ run: NASRun, runs: Int) -> (workers: Int, serial: String?) {
        let workers = min(run.problem.workers, runs)
        guard workers > 1 else { return (1, nil) }
        if run.problem.tasks.contains(where: { $0.oracle != nil }) { return (1, "a task's accuracy comes from a command, asked one design at a time") }
        if run.stopAfter != nil { return (1, "--stop-after counts evaluations in the order of the runs") }
        return (workers, nil)
    }

    /// One sampling run; `progress` shows it on a terminal.
    static func sampleOnce(_ v: Variant, seed: UInt64, keepDesigns: Bool, run: NASRun, budget: Int, optimum: Double?, checkpoint: String,
                           progress: @escaping (String) -> Void) throws -> RunResult {
        let start = Date()
        var r = RunResult(label: v.label, seed: seed)
        var lastReport = Date.distantPast
        let visit: (Int, CoExploration.Outcome) -> Void = { step, o in
            if isatty(STDERR_FILENO) != 0, Date().timeIntervalSince(lastReport) > 0.5 || step + 1 == budget {
                lastReport = Date()
                let rate = Double(step + 1) / max(Date().timeIntervalSince(start), 1e-9)
                progress(String(format: "\r%@ (seed %llu): %d/%d designs, %.0f/s, ETA %.0f s, best %@   ", v.label, seed, step + 1, budget, rate,
                                Double(budget - step - 1) / rate, r.best.map { String(format: "%.2f", $0.weightedAccuracy) } ?? "-"))
                if step + 1 == budget { progress("\n") }
            }
            if keepDesigns { r.designs.append(NASColumns.Design(strategy: v.label, step: step, outcome: o)) }
            r.evaluations = step + 1
            if o.accuracyAsked { r.oracleQueries += 1 }
            if o.feasible && (r.best == nil || o.weightedAccuracy > r.best!.weightedAccuracy) { r.best = o }
            if let opt = optimum, r.reached == nil, let b = r.best, b.weightedAccuracy >= opt - 0.5 { r.reached = step + 1 }
            if (step + 1) % 50 == 0 || step + 1 == budget { r.convergence.append((step + 1, r.best?.weightedAccuracy)) }
        }
        do {
            r.stats = try run.run(strategy: v.strategy, label: v.label, seed: seed, budget: budget, evolution: v.evolution, controller: v.controller,
                                  multiObjective: v.multiObjective, visit: visit)
        } catch let i as NASRun.Interrupted {
            throw UserError("\(i.description); the checkpoint is \(checkpoint): rerun with --resume to continue")
        } catch let e as NASRun.CheckpointError {
            throw UserError(e.description)
        }
        r.seconds = Date().timeIntervalSince(start)
        return r
    }
}

/// What a NAS run has found so far: the designs file's text, the summary and comparison rows,
/// the exact optimum, the Pareto set of every feasible design (weighted accuracy up; latency,
/// energy and area down) and each strategy's own front (objective vectors, for its hypervolume).
final class NASTally {
    let problem: CoExploration
    let designColumns: Columns<NASColumns.Design>
    private(set) var designs: String
    var summary: [NASColumns.Summary] = []
    /// NASAIC's table: per strategy its best design (the successive baseline's whatever its specs).
    var comparison: [NASColumns.Design] = []
    var optimum: Double?
    private(set) var front: [NASColumns.Design] = []
    private(set) var strategyFronts: [String: [[Double]]] = [:]

    init(_ p: CoExploration) {
        problem = p
        designColumns = NASColumns.designs(p)
        designs = CSV.line(designColumns.header) + "\n"
    }

    /// A design written to the designs file; with `offer`, also offered to the fronts.
    func record(_ d: NASColumns.Design, offer: Bool = true) {
        designs += designColumns.csvLine(d)
        if offer { self.offer(d) }
    }

    private func offer(_ d: NASColumns.Design) {
        let o = d.outcome
        guard o.feasible else { return }
        func key(_ x: CoExploration.Outcome) -> [Double] { [-x.weightedAccuracy, x.latencyMs, x.energyMJ, x.areaMM2] }
        let v = key(o)
        var own = strategyFronts[d.strategy, default: []]
        if !own.contains(where: { f in zip(f, v).allSatisfy { $0 <= $1 } }) {
            own.removeAll { f in zip(v, f).allSatisfy { $0 <= $1 } }
            own.append(v)
            strategyFronts[d.strategy] = own
        }
        if front.contains(where: { f in zip(key(f.outcome), v).allSatisfy { $0 <= $1 } }) { return }
        front.removeAll { f in zip(v, key(f.outcome)).allSatisfy { $0 <= $1 } }
        front.append(d)
    }
}
