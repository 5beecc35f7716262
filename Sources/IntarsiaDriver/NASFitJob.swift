import Foundation
import IntarsiaNAS

/// `intarsia nas fit-operators` (and `train-predictor`): hardware-cost sources fitted to measured
/// NAS-Bench-201 cells, judged on held-out cells of a seeded split (docs/NAS.md).
public enum NASFitJob {
    /// Fits an operator table. With `train` N: fitted on N cells drawn by `seed`, judged on the
    /// rest, and that table written. Without: judged on a seeded 80/20 split, and the table
    /// written is refitted on every cell. Returns the report.
    public static func fitOperators(measurements path: String, output: String, train: Int?, seed: UInt64) throws -> String {
        let m = try readMeasurements(path)
        let cells = try CostFitting.cells(m)
        let (fit, held) = try CostFitting.split(count: cells.count, train: train, seed: seed)
        let table = try OperatorTable.fit(m, cells: cells, rows: fit)
        let targets = OperatorTable.targets(m)
        let reports = table.figures.map { f -> CostFitting.Report in
            let measured = targets.first { $0.0 == f.figure }!.1
            return CostFitting.Report(figure: f.figure, predicted: held.map { table.predict(cells[$0], f) }, measured: held.map { measured[$0] }, fitted: fit.count)
        }
        let written = train == nil ? try OperatorTable.fit(m, cells: cells, rows: Array(cells.indices)) : table
        try write(written.csv, to: output)
        let head = "operator table of \(cells.count) measured cells (dead operations \(written.deadOperations.rawValue)), seed \(seed)\n"
        let tail: String = train == nil ? " (refitted on all \(cells.count) cells)" : " (fitted on \(fit.count) cells)"
        return head + reports.map { $0.line + "\n" }.joined() + "wrote \(output)" + tail + "\n"
    }

    /// Trains a predictor: with `train` N on N cells drawn by `seed`, validated on the rest, that
    /// model written; without, validated on a seeded 80/20 split and retrained on every cell.
    public static func trainPredictor(measurements path: String, output: String, train: Int?, seed: UInt64) throws -> String {
        let m = try readMeasurements(path)
        let cells = try CostFitting.cells(m)
        let (fit, held) = try CostFitting.split(count: cells.count, train: train, seed: seed)
        let start = Date()
        let predictor = try CostPredictor.train(m, cells: cells, rows: fit, seed: seed)
        let trained = Date().timeIntervalSince(start)
        let whole = Date()
        _ = try predictor.predict(NB201Cell.all)
        let pricing = Date().timeIntervalSince(whole)
        let predicted = try predictor.predict(held.map { cells[$0] })
        let reports = OperatorTable.targets(m).map { f, v in
            CostFitting.Report(figure: f, predicted: predicted[f]!, measured: held.map { v[$0] }, fitted: fit.count)
        }
        let written = train == nil ? try CostPredictor.train(m, cells: cells, rows: Array(cells.indices), seed: seed) : predictor
        do { try written.json().write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
            throw UserError("\(output): cannot be written (\(error.localizedDescription)); accepted: a writable file path (-o)")
        }
        let head = "predictor (XGBoost gradient-boosted trees) of \(cells.count) measured cells, seed \(seed), trained in \(String(format: "%.2f", trained)) s; "
            + "all 15,625 NAS-Bench-201 cells predicted in \(String(format: "%.2f", pricing)) s\n"
        let tail: String = train == nil ? " (retrained on all \(cells.count) cells)" : " (trained on \(fit.count) cells)"
        return head + reports.map { $0.line.replacingOccurrences(of: "fitted on", with: "trained on").replacingOccurrences(of: "held out", with: "validated on") + "\n" }.joined()
            + "wrote \(output)" + tail + "\n"
    }

    static func readMeasurements(_ path: String) throws -> MeasurementsTable {
        do { return try MeasurementsTable.read(path) } catch let e as HardwareCostError { throw UserError(e.description) }
    }

    /// Writes atomically (a temporary file renamed over `path`).
    static func write(_ text: String, to path: String) throws {
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw UserError("\(path): cannot be written (\(error.localizedDescription)); accepted: a writable file path (-o)")
        }
    }
}
