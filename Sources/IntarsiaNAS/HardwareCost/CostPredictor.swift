import Foundation
import IntarsiaCore

/// A learned hardware-cost predictor for NAS-Bench-201 cells: per figure, gradient-boosted trees
/// (`GradientBoostedTrees`) on the cell's features (`NB201PredictorFeatures`) predicting the
/// figure in its own units, boosted from an operator table fitted to the same cells (its
/// prediction the trees' base margin: the trees learn what the sum over operators misses; on 100
/// microcontroller cells trees alone ranked the rest at 0.947 to 0.958, docs/NAS.md). The figure
/// itself, not its logarithm (version 1's target): the log target's margin is log(1e-12) for a
/// cell the table prices at 0, and its rankings collapsed on a seed whose table's intercept was 0.
/// A prediction is floored at `floor` (a cost is never <= 0). Saved as JSON naming the format
/// version, the space and the feature count, so a model of another version, space or feature set
/// is refused.
public struct CostPredictor: Sendable {
    public struct Model: Codable, Sendable {
        public var format = "intarsia-cost-predictor"
        public var version = Model.currentVersion
        /// 2: 115 features, the figure in its own units from the table's prediction (1: 83
        /// features, its logarithm).
        public static let currentVersion = 2
        /// The space the features describe ("nb201").
        public var space: String
        public var features: Int
        public var seed: UInt64
        public var trainedOn: Int
        public var figures: [FigureModel]
        /// The operator table the trees start from (`OperatorTable.csv`).
        public var operatorTable: String
    }

    public struct FigureModel: Codable, Sendable {
        public var figure: String
        /// XGBoost's JSON model, base64.
        public var trees: String
    }

    public var model: Model
    let boosters: [(MeasuredFigureColumn, GradientBoostedTrees)]
    let base: OperatorTable

    /// Trains one model per figure (latency, energy and memory, as the file has them) on `rows`,
    /// the figures' boosters on `workers` threads at once (each booster on one thread and
    /// deterministic for its seed, so the model is the same for any number of workers).
    public static func train(_ m: MeasurementsTable, cells: [NB201Cell], rows: [Int], seed: UInt64,
                             settings: GradientBoostedTrees.Settings = .init(), workers: Int = Parallel.allCores) throws -> CostPredictor {
        let targets = OperatorTable.targets(m)
        guard !targets.isEmpty else { throw HardwareCostError("\(m.file): no latency, energy, power or memory column to learn; accepted: \(MeasurementsTable.accepted)") }
        let base = try OperatorTable.fit(m, cells: cells, rows: rows, workers: workers)
        let trained = rows.map { cells[$0] }
        let x = trained.map(NB201PredictorFeatures.features)
        let operators = trained.map { NB201Features.operators($0, base.deadOperations) }
        let boosters = try Parallel.map(targets.count, workers: workers) { k -> (MeasuredFigureColumn, GradientBoostedTrees) in
            let (f, v) = targets[k]
            let y = rows.map { Float(v[$0]) }
            return (f, try GradientBoostedTrees(train: x, labels: y, margin: Self.margin(base, f, operators: operators), seed: seed, settings: settings))
        }
        let figs = try boosters.map { FigureModel(figure: $0.0.rawValue, trees: try $0.1.bytes().base64EncodedString()) }
        let model = Model(space: "nb201", features: NB201PredictorFeatures.count, seed: seed, trainedOn: rows.count, figures: figs, operatorTable: base.csv)
        return CostPredictor(model: model, boosters: boosters, base: base)
    }

    /// The operator table's prediction of figure f (the trees' starting point), from the cells'
    /// operator counts (`NB201Features.operators` under the table's treatment of dead operations,
    /// counted once for every figure).
    static func margin(_ base: OperatorTable, _ f: MeasuredFigureColumn, operators: [[Double]]) -> [Float] {
        let fig = base.figure(f)!
        return operators.map { Float(OperatorTable.predict($0, fig)) }
    }

    /// The least figure a prediction gives (internal units: ms, mJ, kB), so that no cost is 0 or
    /// negative where the trees undershoot a cell that runs little.
    public static let floor = 1e-6

    public init(model: Model, boosters: [(MeasuredFigureColumn, GradientBoostedTrees)], base: OperatorTable) {
        self.model = model
        self.boosters = boosters
        self.base = base
    }

    /// Reads a model file, refusing one of another format, space or feature set.
    public static func load(_ path: String) throws -> CostPredictor {
        let accepted = "accepted: a model written by 'intarsia nas train-predictor' for NAS-Bench-201 cells"
        let data: Data
        do { data = try InputFile.read(path) } catch { throw HardwareCostError("\(error); \(accepted)") }
        let model: Model
        do { model = try JSONDecoder().decode(Model.self, from: data) } catch { throw HardwareCostError("\(path): not a predictor model (\(error)); \(accepted)") }
        guard model.format == "intarsia-cost-predictor", model.version == Model.currentVersion else {
            throw HardwareCostError("\(path): format \(model.format) version \(model.version); \(accepted) (format intarsia-cost-predictor version \(Model.currentVersion): retrain older models)")
        }
        guard model.space == "nb201", model.features == NB201PredictorFeatures.count else {
            throw HardwareCostError("\(path): trained on space \(model.space) with \(model.features) features; \(accepted) (\(NB201PredictorFeatures.count) features)")
        }
        let boosters = try model.figures.map { f -> (MeasuredFigureColumn, GradientBoostedTrees) in
            guard let c = MeasuredFigureColumn(rawValue: f.figure), let bytes = Data(base64Encoded: f.trees) else {
                throw HardwareCostError("\(path): figure '\(f.figure)' or its trees unreadable; \(accepted)")
            }
            do { return (c, try GradientBoostedTrees(bytes: bytes)) } catch { throw HardwareCostError("\(path): figure \(f.figure): \(error); \(accepted)") }
        }
        let base: OperatorTable
        do { base = try OperatorTable.parse(model.operatorTable, file: path) } catch { throw HardwareCostError("\(path): its operator table: \(error); \(accepted)") }
        guard Set(boosters.map(\.0)).isSubset(of: Set(base.figures.map(\.figure))) else { throw HardwareCostError("\(path): a figure without its operator table row; \(accepted)") }
        return CostPredictor(model: model, boosters: boosters, base: base)
    }

    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return try e.encode(model)
    }

    /// Predicted figures of `cells` (internal units), per figure the model has.
    public func predict(_ cells: [NB201Cell]) throws -> [MeasuredFigureColumn: [Double]] {
        let x = cells.map(NB201PredictorFeatures.features)
        let operators = cells.map { NB201Features.operators($0, base.deadOperations) }
        var out: [MeasuredFigureColumn: [Double]] = [:]
        for (f, b) in boosters { out[f] = try b.predict(x, margin: Self.margin(base, f, operators: operators)).map { max(Double($0), Self.floor) } }
        return out
    }

    /// Every architecture's figures; NAS-Bench-201 spaces only (a model of one space says nothing
    /// of another's networks).
    public func figures(space: any ArchitectureSpace, source: String = "predictor") throws -> MeasuredFigures {
        guard let nb = space as? NB201Space else {
            throw HardwareCostError("\(source): a predictor trained on \(model.space) cells cannot price space \(space.name); accepted: a task of space nb201")
        }
        let p = try predict(nb.cells)
        guard let l = p[.latency] else { throw HardwareCostError("\(source): the model predicts no latency; accepted: a model trained on a latency column") }
        return MeasuredFigures(kind: .predictor, source: source, latencyMs: l, energyMJ: p[.energy], memoryKB: p[.memory])
    }
}
