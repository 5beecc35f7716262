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
    public static func trainPredictor(measurements path: String, output: String, train: Int?, seed: UInt64, active: ActiveRequest? = nil) throws -> String {
        let m = try readMeasurements(path)
        let cells = try CostFitting.cells(m)
        let (fit, held) = try CostFitting.split(count: cells.count, train: train, seed: seed)
        let cells15625 = NB201Cell.all
        let (predictor, trained) = try timed { try CostPredictor.train(m, cells: cells, rows: fit, seed: seed) }
        let (_, pricing) = try timed { try predictor.predict(cells15625) }
        let predicted = try predictor.predict(held.map { cells[$0] })
        let reports = OperatorTable.targets(m).map { f, v in
            CostFitting.Report(figure: f, predicted: predicted[f]!, measured: held.map { v[$0] }, fitted: fit.count)
        }
        let written = train == nil ? try CostPredictor.train(m, cells: cells, rows: Array(cells.indices), seed: seed) : predictor
        do { try written.json().write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
            throw UserError("\(output): cannot be written (\(error.localizedDescription)); accepted: a writable file path (-o)")
        }
        let head = "predictor (XGBoost gradient-boosted trees) of \(cells.count) measured cells, seed \(seed), trained on \(fit.count) in \(trained); "
            + "all 15,625 NAS-Bench-201 cells predicted in \(pricing)\n"
        let tail: String = train == nil ? " (retrained on all \(cells.count) cells)" : " (trained on \(fit.count) cells)"
        let picks = try active.map { try writeActivePicks($0, m, cells: cells, rows: train == nil ? Array(cells.indices) : fit, seed: seed, model: output) } ?? ""
        return head + reports.map { $0.line.replacingOccurrences(of: "fitted on", with: "trained on").replacingOccurrences(of: "held out", with: "validated on") + "\n" }.joined()
            + "wrote \(output)" + tail + "\n" + picks
    }

    /// `--active N`: the N architectures to measure next, from `pool` (a CSV with an architecture
    /// column) or else every NAS-Bench-201 cell, less those the measurements hold.
    public struct ActiveRequest: Sendable {
        public var count: Int
        public var pool: String?
        /// Where the picks go; nil: the model's path with its extension replaced by `-active.csv`.
        public var output: String?
        public init(count: Int, pool: String?, output: String?) {
            self.count = count
            self.pool = pool
            self.output = output
        }
    }

    /// Picks by the spread of a bootstrap ensemble trained on `rows` (`ActiveSelection`), written
    /// as CSV; the line for the report.
    static func writeActivePicks(_ a: ActiveRequest, _ m: MeasurementsTable, cells: [NB201Cell], rows: [Int], seed: UInt64, model: String) throws -> String {
        let candidates = try a.pool.map { try CostFitting.cells(try readMeasurements($0, figures: false)) } ?? NB201Cell.all
        let picks: [ActiveSelection.Pick]
        do { picks = try ActiveSelection.pick(m, cells: cells, rows: rows, candidates: candidates, count: a.count, seed: seed) } catch let e as HardwareCostError {
            throw UserError(e.description)
        }
        let path = a.output ?? (model.hasSuffix(".json") ? String(model.dropLast(5)) : model) + "-active.csv"
        try write(ActiveSelection.csv(picks), to: path)
        let short = picks.count < a.count ? " (only \(picks.count) unmeasured candidates)" : ""
        return "wrote \(path): \(picks.count) architectures to measure next\(short), largest spread over \(ActiveSelection.defaultMembers) bootstrap predictors first\n"
    }

    /// A measurements CSV; with `figures` false, a list of architectures (a pool: a column
    /// `architecture` or `arch`, figure columns not needed).
    /// A call's result and its time: wall seconds and the process's CPU seconds (which a loaded
    /// machine does not inflate), e.g. "0.41 s (CPU 0.40 s)".
    static func timed<T>(_ body: () throws -> T) rethrows -> (T, String) {
        let (wall, cpu) = (Date(), clock())
        let r = try body()
        let cpuSeconds = Double(clock() - cpu) / Double(CLOCKS_PER_SEC)
        return (r, String(format: "%.2f s (CPU %.2f s)", Date().timeIntervalSince(wall), cpuSeconds))
    }

    static func readMeasurements(_ path: String, figures: Bool = true) throws -> MeasurementsTable {
        do {
            return figures ? try MeasurementsTable.read(path) : try MeasurementsTable.readArchitectures(path)
        } catch let e as HardwareCostError { throw UserError(e.description) }
    }

    /// Writes atomically (a temporary file renamed over `path`).
    static func write(_ text: String, to path: String) throws {
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw UserError("\(path): cannot be written (\(error.localizedDescription)); accepted: a writable file path (-o)")
        }
    }
}
