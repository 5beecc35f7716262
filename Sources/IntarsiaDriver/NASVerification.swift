import Foundation
import IntarsiaNAS
import IntarsiaSpec

/// A predictor's figures checked by measurement (`hardware_cost: {predictor: MODEL, verify: ...}`,
/// docs/NAS.md "Predictor-driven search"): after the searches on the predicted figures, each
/// strategy (the exact method and each sampling run) searches again in verification rounds
/// (`CoExploration.verifiedSearch`), and its measured choice is a row of its own in the summary
/// and the comparison. Without `verify`, the summary says the designs are predicted, not measured.
extension NASJob {
    static func verifyPredictions(_ spec: NASDesignSpec, tally: NASTally, results: [RunResult], stderr: (String) -> Void) throws {
        let p = tally.problem
        if p.hasUnverifiedPredictions {
            tally.summary.append(.notApplicable("measured check", "a predictor prices the hardware and no verify source is given: every figure above is predicted, not measured"))
            stderr("note: a predictor prices the hardware without verify: the designs' figures are predictions, not measurements\n")
        }
        guard !p.verifications.isEmpty else { return }
        var searches: [(String, (CoExploration) throws -> CoExploration.Outcome?)] = []
        if tally.optimum != nil || tally.summary.contains(where: { $0.strategy.hasPrefix("exact (") }) {
            searches.append(("exact", { try $0.exact().best }))
        }
        let plan = variants(spec.strategies)
        for r in results {
            guard let v = plan.first(where: { $0.label == r.label }) else { continue }
            searches.append(("\(r.label) (seed \(r.seed))", { q in try bestOfRun(v, seed: r.seed, budget: spec.budget, on: q) }))
        }
        for (label, search) in searches {
            let start = Date()
            let v = try p.verifiedSearch(search)
            let rivals = v.rounds.reduce(0) { $0 + $1.rivalsMeasured }
            let rounds = "\(v.rounds.count) of at most \(v.allowedRounds) designs verified, \(v.measuredArchitectures) architectures newly measured"
                + " (\(v.measuredArchitectures - rivals) of the picks, \(rivals) rivals)"
                + (v.settled ? "; the last pick was measured throughout" : "")
            stderr("\(label), verified by measurement: \(rounds)\n")
            if let c = v.chosen {
                tally.comparison.append(NASColumns.Design(strategy: "\(label), measured", step: 0, outcome: c, provenance: v.provenance))
            }
            tally.summary.append(NASColumns.Summary(
                strategy: "\(label), verified by measurement", evaluations: rounds,
                bestWeightedAccuracy: v.chosen.map { NASColumns.accuracy($0.weightedAccuracy) } ?? "none feasible when measured",
                time: String(format: "%.2f s", Date().timeIntervalSince(start)), design: v.chosen.map { NASColumns.describe(p, $0).joined(separator: " | ") } ?? "",
                specs: v.chosen == nil ? "" : "all specs hold on measured figures"))
        }
    }

    /// A sampling variant's best feasible design on problem `q` (no checkpoint: the searches of
    /// the verification rounds are not resumable).
    static func bestOfRun(_ v: Variant, seed: UInt64, budget: Int, on q: CoExploration) throws -> CoExploration.Outcome? {
        var best: CoExploration.Outcome?
        let run = try NASRun(problem: q, checkpointPath: nil, fingerprint: "", resume: false)
        try run.run(strategy: v.strategy, label: v.label, seed: seed, budget: budget, evolution: v.evolution, controller: v.controller,
                    multiObjective: v.multiObjective) { _, o in
            if o.feasible && (best == nil || o.weightedAccuracy > best!.weightedAccuracy) { best = o }
        }
        return best
    }
}
