import Foundation
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

    static func describe(_ p: CoExploration, _ o: CoExploration.Outcome) -> [String] {
        let accs = p.space.design(o.design.hardware)
        return [accs.map { "\($0.dataflow.rawValue) \($0.rows)x\($0.columns)" }.joined(separator: " + "),
                zip(p.tasks, o.design.assignment).map { "\($0.dataset.rawValue):\($1)" }.joined(separator: " "),
                zip(p.tasks, o.design.cells).map { "\($0.dataset.rawValue):\($1)" }.joined(separator: " ")]
    }

    static func row(_ p: CoExploration, _ strategy: String, _ step: Int, _ o: CoExploration.Outcome) -> [String] {
        [strategy, String(step)] + describe(p, o)
            + [DesignColumns.significant(o.latencyMs, 6), DesignColumns.significant(o.energyMJ, 6), DesignColumns.significant(o.areaMM2, 6),
               DesignColumns.significant(o.powerW, 4)]
            + p.tasks.indices.map { o.accuracyAsked || !o.accuracies.isEmpty ? String(format: "%.4f", o.accuracies[$0]) : "" }
            + [o.accuracyAsked || !o.accuracies.isEmpty ? String(format: "%.4f", o.weightedAccuracy) : "", o.feasible ? "true" : "false",
               o.violations.joined(separator: "; ")]
    }

    public static func run(specPath: String, budget: Int?, seed: UInt64?, strategies: [String]?, stderr: (String) -> Void) throws -> String {
        guard let data = FileManager.default.contents(atPath: specPath), let text = String(data: data, encoding: .utf8) else {
            throw UserError("\(specPath): cannot be read")
        }
        var spec = try NASDesignSpec.parse(text: text, file: specPath)
        if let b = budget { spec.budget = b }
        if let s = seed { spec.seed = s }
        if let s = strategies {
            for n in s where !NASDesignSpec.strategyNames.contains(n) { throw UserError("--strategy '\(n)': accepted: \(NASDesignSpec.strategyNames.joined(separator: ", "))") }
            spec.strategies = s
        }
        let p = try spec.problem()
        let header = ["strategy", "step", "hardware", "assignment", "cells", "latency_ms", "energy_mj", "area_mm2", "power_w"]
            + p.tasks.map { "accuracy_\($0.dataset.rawValue)" } + ["weighted_accuracy", "feasible", "violations"]
        var designs = CSV.line(header) + "\n"
        var convergence = CSV.line(["strategy", "evaluations", "best_feasible_weighted_accuracy"]) + "\n"
        var summary: [[String]] = []
        var optimum: Double?
        // Every feasible design seen, for the best design and the Pareto set (weighted accuracy up;
        // latency, energy and area down).
        var front: [(String, Int, CoExploration.Outcome)] = []
        func offer(_ strategy: String, _ step: Int, _ o: CoExploration.Outcome) {
            guard o.feasible else { return }
            let v = [-o.weightedAccuracy, o.latencyMs, o.energyMJ, o.areaMM2]
            func key(_ x: CoExploration.Outcome) -> [Double] { [-x.weightedAccuracy, x.latencyMs, x.energyMJ, x.areaMM2] }
            if front.contains(where: { f in zip(key(f.2), v).allSatisfy { $0 <= $1 } }) { return }
            front.removeAll { f in zip(v, key(f.2)).allSatisfy { $0 <= $1 } }
            front.append((strategy, step, o))
        }
        let tableOnly = !spec.tasks.contains { $0.oracle != nil }
        if spec.strategies.contains("exact") && !tableOnly {
            summary.append(["exact", "-", "not applicable: a task's accuracy comes from a command", "-", "-", "", ""])
        }
        if spec.strategies.contains("exact") && tableOnly {
            let (best, candidates, seconds) = try p.exact()
            optimum = best?.weightedAccuracy
            if let b = best { designs += CSV.line(row(p, "exact", 0, b)) + "\n"; offer("exact", 0, b) }
            summary.append(["exact (GLPK per hardware candidate, proven optimal)", String(candidates) + " candidates",
                            best.map { String(format: "%.4f", $0.weightedAccuracy) } ?? "none feasible", String(format: "%.2f s", seconds), "-",
                            best.map { describe(p, $0).joined(separator: " | ") } ?? "", best == nil ? "" : "all specs hold"])
            stderr("exact: \(candidates) hardware candidates and assignments in \(String(format: "%.2f", seconds)) s\n")
        }
        if spec.strategies.contains("successive") && tableOnly {
            let s = try p.successive()
            designs += CSV.line(row(p, "successive", 0, s)) + "\n"
            summary.append(["successive (most accurate cells, then fastest hardware)", "1", String(format: "%.4f", s.weightedAccuracy), "-", "-",
                            describe(p, s).joined(separator: " | "), s.feasible ? "all specs hold" : "violates: " + s.violations.joined(separator: "; ")])
        }
        for strategy in ["random", "evolution", "reinforce"] where spec.strategies.contains(strategy) {
            let start = Date()
            var best: CoExploration.Outcome?
            var reached: Int?
            var asked = 0
            var lastReport = Date.distantPast
            let visit: (Int, CoExploration.Outcome) -> Void = { step, o in
                if isatty(STDERR_FILENO) != 0, Date().timeIntervalSince(lastReport) > 0.5 || step + 1 == spec.budget {
                    lastReport = Date()
                    let rate = Double(step + 1) / max(Date().timeIntervalSince(start), 1e-9)
                    stderr(String(format: "\r%@: %d/%d designs, %.0f/s, ETA %.0f s, best %@   ", strategy, step + 1, spec.budget, rate,
                                  Double(spec.budget - step - 1) / rate, best.map { String(format: "%.2f", $0.weightedAccuracy) } ?? "-"))
                    if step + 1 == spec.budget { stderr("\n") }
                }
                designs += CSV.line(row(p, strategy, step, o)) + "\n"
                offer(strategy, step, o)
                if o.accuracyAsked { asked += 1 }
                if o.feasible && (best == nil || o.weightedAccuracy > best!.weightedAccuracy) { best = o }
                if let opt = optimum, reached == nil, let b = best, b.weightedAccuracy >= opt - 0.5 { reached = step + 1 }
                if (step + 1) % 50 == 0 || step + 1 == spec.budget {
                    convergence += CSV.line([strategy, String(step + 1), best.map { String(format: "%.4f", $0.weightedAccuracy) } ?? ""]) + "\n"
                }
            }
            switch strategy {
            case "random": p.randomSearch(budget: spec.budget, seed: spec.seed, visit: visit)
            case "evolution": p.evolution(budget: spec.budget, seed: spec.seed, visit: visit)
            default: p.policyGradient(budget: spec.budget, seed: spec.seed, visit: visit)
            }
            summary.append(["\(strategy) (\(spec.budget) evaluations, seed \(spec.seed); \(asked) reached the accuracy oracle)", String(spec.budget),
                            best.map { String(format: "%.4f", $0.weightedAccuracy) } ?? "none feasible", String(format: "%.2f s", Date().timeIntervalSince(start)),
                            reached.map(String.init) ?? (optimum == nil ? "-" : "not within 0.5"),
                            best.map { describe(p, $0).joined(separator: " | ") } ?? "", best == nil ? "" : "all specs hold"])
        }
        let summaryHeader = ["strategy", "evaluations", "best_weighted_accuracy", "time", "evaluations_to_within_0.5_of_optimum", "design (hardware | assignment | cells)", "specs"]
        try writeAtomically(designs, to: spec.outputPrefix + "-designs.csv")
        try writeAtomically(convergence, to: spec.outputPrefix + "-convergence.csv")
        let ordered = front.sorted { $0.2.weightedAccuracy > $1.2.weightedAccuracy }
        try writeAtomically(([header] + ordered.map { row(p, $0.0, $0.1, $0.2) }).map(CSV.line).joined(separator: "\n") + "\n", to: spec.outputPrefix + "-pareto.csv")
        try writeAtomically(([header] + ordered.prefix(1).map { row(p, $0.0, $0.1, $0.2) }).map(CSV.line).joined(separator: "\n") + "\n", to: spec.outputPrefix + "-best.csv")
        try writeAtomically(([summaryHeader] + summary).map(CSV.line).joined(separator: "\n") + "\n", to: spec.outputPrefix + "-summary.csv")
        stderr("wrote \(spec.outputPrefix)-designs.csv, -convergence.csv, -summary.csv, -best.csv, -pareto.csv\n")
        return TextTable.render(header: ["strategy", "best_weighted_accuracy", "to_within_0.5", "specs"], rows: summary.map { [$0[0], $0[2], $0[4], $0[6]] })
    }
}
