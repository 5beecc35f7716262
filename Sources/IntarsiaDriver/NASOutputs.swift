import Foundation
import IntarsiaCore
import IntarsiaNAS
import IntarsiaExplore
import IntarsiaReports
import IntarsiaRows
import IntarsiaSpec

/// The files `intarsia nas` writes, from the typed rows of NASColumns.
extension NASJob {
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
        let columns = NASColumns.spaceCosts
        var buffer = CSV.line(columns.header) + "\n"
        var rows = 0
        for (u, unit) in units.enumerated() {
            for (t, task) in p.tasks.enumerated() {
                let c = p.unitCosts(u, task: t)
                for a in 0..<task.space.count {
                    buffer += columns.csvLine(NASColumns.SpaceCost(task: task.name, architectureIndex: a, architecture: task.space.architectureString(a), unit: unit,
                                                                   cycles: c.cycles[a], clockMHz: p.clockMHz, dynamicEnergyNJ: c.energy[a]))
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
        SVGPlot.lines(title: "\(name): convergence", xLabel: "evaluations", yLabel: "best feasible weighted accuracy",
                             series: runs.enumerated().map { (label: $1.0, color: PlotPalette.color($0, of: PlotPalette.lines), points: $1.1) },
                             reference: optimum.map { ($0, String(format: "exact optimum %.4f", $0)) })
    }

    /// Per strategy, the mean over seeds of the best so far (a seed counts from its first
    /// feasible design).
    static func meanConvergence(_ results: [RunResult]) -> [(String, [(x: Double, y: Double)])] {
        let labels = results.map(\.label).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return labels.map { label in
            var sums: [Int: (Double, Int)] = [:]
            for r in results where r.label == label {
                for (n, b) in r.convergence {
                    guard let b else { continue }
                    sums[n, default: (0, 0)].0 += b
                    sums[n, default: (0, 0)].1 += 1
                }
            }
            return (label + " (mean of \(results.filter { $0.label == label }.count) seeds)", sums.keys.sorted().map { (Double($0), sums[$0]!.0 / Double(sums[$0]!.1)) })
        }
    }

    /// A seed sweep's files (PREFIX-seeds.csv with its record, -seeds-convergence.csv and .svg),
    /// replaced together; returns the terminal's table.
    static func writeSweep(_ results: [RunResult], p: CoExploration, spec: NASDesignSpec, specPath: String, specText: String, optimum: Double?,
                           plan: [Variant], seeds: [UInt64], stderr: (String) -> Void) throws -> String {
        let rows = results.map { r in
            NASColumns.Seed(run: r, optimum: optimum, design: r.best.map { NASColumns.describe(p, $0).joined(separator: " | ") } ?? "")
        }
        var staged = StagedFiles()
        try staged.stage(NASColumns.seeds.csv(rows), to: spec.outputPrefix + "-seeds.csv")
        try staged.stage(NASColumns.seedsConvergence.csv(results.flatMap(\.convergencePoints)), to: spec.outputPrefix + "-seeds-convergence.csv")
        try staged.stage(convergencePlot(spec.name, meanConvergence(results), optimum: optimum), to: spec.outputPrefix + "-seeds-convergence.svg")
        let record = SeedsRecord(specPath: specPath, specFingerprint: fnv1a(specText),
                                 options: "budget \(spec.budget) strategies \(spec.strategies.map(\.rawValue).joined(separator: ",")) plan \(plan.map(\.label).joined(separator: ","))",
                                 seeds: seeds, rows: rows.count)
        try staged.stage(try JSONText.pretty(record) + "\n", to: spec.outputPrefix + "-seeds.csv.run.json")
        do { try staged.commit(removingFirst: []) } catch { staged.discard(); throw error }
        stderr("wrote \(spec.outputPrefix)-seeds.csv, -seeds-convergence.csv, -seeds-convergence.svg\n")
        if optimum == nil && results.allSatisfy({ $0.best == nil }) {
            throw UserError("\(specPath): constraints: no strategy found a feasible design in any seed (or every accuracy evaluation failed); results are in \(spec.outputPrefix)-seeds.csv")
        }
        return (optimum.map { "exact optimum: \(String(format: "%.4f", $0))\n" } ?? "") + NASColumns.seedsTerminal.table(rows)
    }

    /// A run's files (designs, convergence, summary, comparison, best and Pareto set), replaced
    /// together: the previous run's files go before the first new one lands. Returns the
    /// terminal's tables.
    static func writeRun(_ tally: NASTally, results: [RunResult], spec: NASDesignSpec, specPath: String, stderr: (String) -> Void) throws -> String {
        let p = tally.problem
        let comparison = NASColumns.comparison(p)
        let ordered = tally.front.sorted { $0.outcome.weightedAccuracy > $1.outcome.weightedAccuracy }
        var staged = StagedFiles()
        do {
            try staged.stage(tally.designs, to: spec.outputPrefix + "-designs.csv")
            try staged.stage(NASColumns.convergence.csv(results.flatMap(\.convergencePoints)), to: spec.outputPrefix + "-convergence.csv")
            try staged.stage(convergencePlot(spec.name, results.map { r in (r.label, r.convergence.compactMap { n, b in b.map { (Double(n), $0) } }) }, optimum: tally.optimum),
                             to: spec.outputPrefix + "-convergence.svg")
            try staged.stage(tally.designColumns.csv(ordered), to: spec.outputPrefix + "-pareto.csv")
            try staged.stage(tally.designColumns.csv(ordered.prefix(1)), to: spec.outputPrefix + "-best.csv")
            try staged.stage(NASColumns.summary.csv(tally.summary), to: spec.outputPrefix + "-summary.csv")
            try staged.stage(comparison.csv(tally.comparison), to: spec.outputPrefix + "-comparison.csv")
            try staged.commit(removingFirst: staged.staged.map(\.path))
        } catch { staged.discard(); throw error }
        stderr("wrote \(spec.outputPrefix)-designs.csv, -convergence.csv, -convergence.svg, -summary.csv, -comparison.csv, -best.csv, -pareto.csv\n")
        if tally.front.isEmpty {
            throw UserError("\(specPath): constraints: no design found by any strategy meets them (or every accuracy evaluation failed); the evaluated designs and why each fails are in \(spec.outputPrefix)-designs.csv (column violations)")
        }
        return NASColumns.summaryTerminal.table(tally.summary) + "\n" + comparison.table(tally.comparison)
    }
}
