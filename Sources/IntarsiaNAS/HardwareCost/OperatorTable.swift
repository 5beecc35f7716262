import Foundation
import IntarsiaCore
import IntarsiaRows

/// A kernel table in nn-Meter's manner (Zhang et al., MobiSys 2021) for NAS-Bench-201 cells: a
/// measured cost per operator kind and position (`NB201Features`), and a network's cost the sum
/// over the operators it runs plus a fitted intercept (the stem, reductions, classifier and
/// runtime overhead). Fitted to whole-network measurements by non-negative least squares
/// (`fit`), so no operator costs less than nothing.
public struct OperatorTable: Sendable, Equatable {
    /// Which operators a cell runs: dead ones run, pruned, or run when they reach the output
    /// (`NB201Features.Treatment`, chosen by the fit).
    public var deadOperations: NB201Features.Treatment
    /// Per figure: the intercept and one cost per operator feature (internal units).
    public var figures: [Figure]

    public struct Figure: Sendable, Equatable {
        public var figure: MeasuredFigureColumn
        public var intercept: Double
        public var costs: [Double]
    }

    /// The figures a table fits: latency, energy (from power × latency when only power is
    /// measured) and memory. Power itself is not a sum over operators.
    public static func targets(_ m: MeasurementsTable) -> [(MeasuredFigureColumn, [Double])] {
        var out: [(MeasuredFigureColumn, [Double])] = []
        if let l = m.values(.latency) { out.append((.latency, l)) }
        if let e = m.values(.energy) { out.append((.energy, e)) }
        else if let p = m.values(.power), let l = m.values(.latency) { out.append((.energy, zip(p, l).map { $0 * $1 })) }
        if let k = m.values(.memory) { out.append((.memory, k)) }
        return out
    }

    /// Fits on the measured `cells` (the rows of `m` at `rows`): for each treatment of dead
    /// operations, every figure by NNLS on [1, operator counts]; the treatment whose table ranks
    /// the training cells best (Spearman's rho of fitted against measured, summed over the
    /// figures) is kept, ties going to the first of execute, prune, reach: ranking is what a
    /// search asks of the table. The treatments are fitted on `workers` threads at once (the same
    /// table for any number).
    public static func fit(_ m: MeasurementsTable, cells: [NB201Cell], rows: [Int], workers: Int = Parallel.allCores) throws -> OperatorTable {
        let targets = targets(m)
        guard !targets.isEmpty else { throw HardwareCostError("\(m.file): no latency, energy, power or memory column to fit; accepted: \(MeasurementsTable.accepted)") }
        let treatments = NB201Features.Treatment.allCases
        let fitted = try Parallel.map(treatments.count, workers: workers) { k -> (table: OperatorTable, rho: Double) in
            let dead = treatments[k]
            let a = rows.map { [1.0] + NB201Features.operators(cells[$0], dead) }
            var rho = 0.0, figs: [Figure] = []
            for (f, v) in targets {
                let b = rows.map { v[$0] }
                let x = try NonNegativeLeastSquares.solve(a, b)
                let fit = a.map { zip($0, x).reduce(0) { $0 + $1.0 * $1.1 } }
                let r = RankCorrelation.spearman(fit, b)
                rho += r.isNaN ? 0 : r
                figs.append(Figure(figure: f, intercept: x[0], costs: Array(x.dropFirst())))
            }
            return (OperatorTable(deadOperations: dead, figures: figs), rho)
        }
        var best = fitted[0]
        for f in fitted.dropFirst() where f.rho > best.rho + 1e-12 { best = f }
        return best.table
    }

    /// A cell's figure: intercept plus the costs of the operators it runs.
    public func predict(_ cell: NB201Cell, _ f: Figure) -> Double { Self.predict(NB201Features.operators(cell, deadOperations), f) }

    /// Figure f of a cell whose operator counts (under the table's `deadOperations`) are given.
    static func predict(_ operators: [Double], _ f: Figure) -> Double {
        zip(operators, f.costs).reduce(f.intercept) { $0 + $1.0 * $1.1 }
    }

    public func figure(_ c: MeasuredFigureColumn) -> Figure? { figures.first { $0.figure == c } }

    /// Every architecture's figures; NAS-Bench-201 spaces only.
    public func figures(space: any ArchitectureSpace, source: String = "operator table") throws -> MeasuredFigures {
        guard let nb = space as? NB201Space else { throw HardwareCostError("\(source): an operator table prices NAS-Bench-201 cells; the space is \(space.name); accepted: a task of space nb201") }
        guard let l = figure(.latency) else { throw HardwareCostError("\(source): no latency row; accepted: an operator table with a latency_ms column") }
        func all(_ f: Figure?) -> [Double]? { f.map { f in nb.cells.map { predict($0, f) } } }
        return MeasuredFigures(kind: .operatorTable, source: source, latencyMs: all(l)!, energyMJ: all(figure(.energy)), memoryKB: all(figure(.memory)))
    }

    static let columnNames: [MeasuredFigureColumn: String] = [.latency: "latency_ms", .energy: "energy_mj", .memory: "memory_kb"]
    static let marker = "# intarsia operator table: space nb201, dead_operations "

    /// The table as CSV: a marker line with the treatment of dead operations, then `operator,
    /// position` and one column per figure (ms, mJ, kB); the first row is the intercept.
    public var csv: String {
        var out = Self.marker + deadOperations.rawValue + "\n"
        out += CSV.line(["operator", "position"] + figures.map { Self.columnNames[$0.figure]! }) + "\n"
        out += CSV.line(["intercept", "-"] + figures.map { "\($0.intercept)" }) + "\n"
        for k in 0..<NB201Features.operatorCount {
            let n = NB201Features.operatorName(k)
            out += CSV.line([n.kind, n.position] + figures.map { "\($0.costs[k])" }) + "\n"
        }
        return out
    }

    public static func read(_ path: String) throws -> OperatorTable {
        try parse(try HardwareCostError.text(path, accepted: "an operator table written by 'intarsia nas fit-operators'"), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> OperatorTable {
        let accepted = "accepted: an operator table written by 'intarsia nas fit-operators' (a marker line, then operator,position,figures)"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard let first = lines.first, first.hasPrefix(marker), let dead = NB201Features.Treatment(rawValue: String(first.dropFirst(marker.count))) else {
            throw HardwareCostError("\(file): the first line is not '\(marker)\(NB201Features.Treatment.acceptedNames)'; \(accepted)")
        }
        let rows = try RowTable(text: lines.dropFirst().joined(separator: "\n") + "\n", file: file, required: ["operator", "position"], accepted: accepted)
        let figs = rows.header.dropFirst(2).map { name -> MeasuredFigureColumn? in columnNames.first { $0.value == name }?.key }
        guard !figs.isEmpty, !figs.contains(nil) else { throw HardwareCostError("\(file): figure columns \(rows.header.dropFirst(2).joined(separator: ", ")); \(accepted) with latency_ms, energy_mj, memory_kb") }
        let expected = [("intercept", "-")] + (0..<NB201Features.operatorCount).map(NB201Features.operatorName)
        guard rows.rows.count == expected.count else { throw HardwareCostError("\(file): \(rows.rows.count) rows, expected \(expected.count); \(accepted)") }
        var values = [[Double]](repeating: [], count: figs.count)
        for (n, (row, e)) in zip(rows.rows, expected).enumerated() {
            guard row[0] == e.0, row[1] == e.1 else { throw HardwareCostError("\(file) line \(n + 3): '\(row[0]),\(row[1])', expected '\(e.0),\(e.1)'; \(accepted)") }
            for k in figs.indices {
                guard let v = Double(row[k + 2]), v.isFinite, v >= 0 else { throw HardwareCostError("\(file) line \(n + 3): '\(row[k + 2])' is not a cost; accepted: a finite number >= 0") }
                values[k].append(v)
            }
        }
        return OperatorTable(deadOperations: dead, figures: figs.indices.map { Figure(figure: figs[$0]!, intercept: values[$0][0], costs: Array(values[$0].dropFirst())) })
    }
}
