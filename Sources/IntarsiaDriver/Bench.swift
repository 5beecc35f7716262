import Foundation
import IntarsiaCore
import IntarsiaASIC
import IntarsiaNAS
import IntarsiaFPGA
import IntarsiaSearch
import IntarsiaSpec

/// `intarsia bench`: design points evaluated per second on one core, per spec and template,
/// in whatever build the binary is (run it from a release build).
public enum Bench {
    /// The longest `--seconds` accepted: an hour per spec and template (a bench is a measurement,
    /// not a run; `inf` or 1e12 would never return).
    public static let maxSecondsPerCase = 3600.0
    /// The most points `--points` accepts per spec and template (about an hour for the slowest
    /// bundled template, the reconfigurable one on ResNet-18, cold).
    public static let maxPointsPerCase = 1_000_000_000

    /// How much each case measures: a time (`--seconds`: whole passes over the points until the
    /// time is up), or a fixed count of evaluations (`--points`: the same work in every build, so
    /// that instruction counts compare; the last pass partial).
    public enum Budget: Sendable, Equatable {
        case seconds(Double)
        case points(Int)

        /// Points of the next pass over `count` points when `done` are done.
        func pass(of count: Int, done: Int) -> Int {
            switch self {
            case .seconds: return count
            case .points(let n): return min(count, n - done)
            }
        }

        /// Whether a case is measured (with no points to evaluate, a count is never reached: done).
        func isSpent(points done: Int, of count: Int, seconds elapsed: Double) -> Bool {
            switch self {
            case .seconds(let s): return elapsed >= s
            case .points(let n): return done >= n || count == 0
            }
        }
    }

    public struct Row: Sendable {
        public var spec: String
        public var template: TemplateKind
        /// "dataflow-balanced" for the balanced-allocation row; else the template's name.
        public var label: String
        public var points: Int
        public var seconds: Double
        public var perSecond: Double { Double(points) / seconds }
        /// Points per second when every pass starts from a model with empty caches (what a
        /// search evaluating each point once sees; the warm figure re-evaluates the same points).
        public var coldPerSecond: Double
    }

    /// ASIC specs: layer evaluations per second on one core, and one whole network's time.
    public struct ASICRow: Sendable {
        public var spec: String
        public var layersPerSecond: Double
        public var networkMicroseconds: Double
        public var layers: Int
    }

    /// With a count of points, `budget` counts designs (each costed over the first network's layers).
    public static func runASIC(specPath: String, budget: Budget) throws -> ASICRow {
        let spec = try ASICJob.load(specPath)
        let accs = (0..<spec.space.count).map { spec.space.design($0)[0] }
        let layers = spec.space.networks[0].layers
        var checksum = 0.0, done = 0
        let start = Date()
        var elapsed = 0.0
        var designs = 0
        repeat {
            let pass = budget.pass(of: accs.count, done: designs)
            for a in accs[..<pass] { for l in layers { checksum += ASICModel.cost(l, on: a, technology: spec.space.technology).totalCycles } }
            designs += pass
            done += pass * layers.count
            elapsed = Date().timeIntervalSince(start)
        } while !budget.isSpent(points: designs, of: accs.count, seconds: elapsed)
        if checksum.isNaN { print("nan") }
        let perLayer = Double(done) / elapsed
        return ASICRow(spec: spec.name, layersPerSecond: perLayer, networkMicroseconds: Double(layers.count) / perLayer * 1e6, layers: layers.count)
    }

    /// NAS-Bench-201: loading the shipped table, then latency and energy of all 15,625 cells on
    /// each of the three datasets on one design (a 32×32 output-stationary array, 45 nm).
    public static func nb201() throws -> [(String, Double)] {
        var out: [(String, Double)] = []
        var start = Date()
        let table = try NB201Table.load()
        out.append(("load the table (\(table.cells.count) cells)", Date().timeIntervalSince(start)))
        start = Date()
        let t = ASICTechnology.nm45
        let acc = ASICAccelerator(dataflow: .systolicOS, rows: 32, columns: 32)
        var checksum = 0.0
        var tasks: [ExactSelection.Task] = []
        for d in NB201Table.Dataset.allCases {
            let (cycles, energy) = try NB201Network.asicCosts(of: table.cells, dataset: d, deadOperations: .execute, on: acc, technology: t)
            checksum += cycles.reduce(0, +) + energy.reduce(0, +)
            tasks.append(ExactSelection.Task(name: d.rawValue, weight: 1, subAccelerator: tasks.count % 2,
                                             candidates: table.cells.indices.map { .init(index: $0, accuracy: table.accuracy[d]![$0], latency: cycles[$0], energy: energy[$0]) }))
        }
        if checksum.isNaN { print("nan") }
        out.append(("latency and energy of 15,625 cells x 3 datasets", Date().timeIntervalSince(start)))
        // The same on an FPGA: one sequential-template unit of 1024 lanes on the U280 (the model's
        // stages and spills worked out per cell, `FPGAUnits.nb201Costs`).
        start = Date()
        let unit = FPGAUnit(lanes: 1024)
        for d in NB201Table.Dataset.allCases {
            let c = FPGAUnits.nb201Costs(unit: unit, cells: table.cells, inputSize: d.inputSize, classes: d.classes, platform: PlatformCatalog.u280)
            checksum += c.cycles.reduce(0, +)
        }
        if checksum.isNaN { print("nan") }
        out.append(("FPGA: latency and energy of 15,625 cells x 3 datasets on one 1024-lane sequential unit (U280)", Date().timeIntervalSince(start)))
        // The exact method on the three tasks (two on one sub-accelerator), with budgets at half of
        // the most expensive choices so that the most accurate cells do not fit.
        start = Date()
        let maxLat = tasks.map { $0.candidates.map(\.latency).max()! }.reduce(0, +) * 0.25
        let maxEnergy = tasks.map { $0.candidates.map(\.energy).max()! }.reduce(0, +) * 0.5
        let choice = try ExactSelection.solve(tasks, maxLatency: maxLat, maxEnergy: maxEnergy)
        out.append(("exact selection, 3 tasks x 15,625 cells (\(choice.candidatesAfterPruning) not dominated), \(choice.status.rawValue), weighted accuracy \(String(format: "%.2f", choice.weightedAccuracy))",
                    Date().timeIntervalSince(start)))
        return out
    }

    /// Points per second over passes that each start with empty model caches (the last pass
    /// partial when `budget` is a count of points). Never inlined, as `measure`: each case is a
    /// function a profiler can cut at (`valgrind --tool=callgrind --dump-after='*Bench*coldRate*'`).
    @inline(never)
    static func coldRate(_ model: FPGAModel, _ points: [DesignPoint], budget: Budget) -> Double {
        var checksum = 0.0
        var done = 0
        var busy = 0.0
        repeat {
            let fresh = model.withEmptyCaches()
            let pass = budget.pass(of: points.count, done: done)
            let start = Date()
            for p in points[..<pass] { checksum += fresh.evaluate(p).latencyCycles }
            busy += Date().timeIntervalSince(start)
            done += pass
        } while !budget.isSpent(points: done, of: points.count, seconds: busy)
        if checksum.isNaN { print("nan") }  // keeps the work observable
        return Double(done) / busy
    }

    public static func run(specPaths: [String], budget: Budget) throws -> [Row] {
        var rows: [Row] = []
        for path in specPaths where !ASICJob.isASIC(path) {
            let spec = try DesignSpec.load(path: path)
            let model = spec.solvingModel
            for space in spec.space.templates {
                let points = (0..<min(space.count, 4096)).map { space.point(at: $0) }
                let (done, elapsed) = measure(model, points, budget)
                rows.append(Row(spec: spec.name, template: space.template, label: space.template.rawValue, points: done, seconds: elapsed,
                                coldPerSecond: coldRate(model, points, budget: budget)))
            }
            let balanced = balancedPoints(spec)
            let (done, elapsed) = measure(model, balanced, budget)
            rows.append(Row(spec: spec.name, template: .dataflow, label: "dataflow-balanced", points: done, seconds: elapsed,
                            coldPerSecond: coldRate(model, balanced, budget: budget)))
        }
        return rows
    }

    /// Evaluates `points` over and over through `model` (the spec's solving model, as a search
    /// evaluates) until `budget` is spent: points done and seconds taken.
    @inline(never)
    static func measure(_ model: FPGAModel, _ points: [DesignPoint], _ budget: Budget) -> (Int, Double) {
        var checksum = 0.0
        var done = 0
        let start = Date()
        var elapsed = 0.0
        repeat {
            let pass = budget.pass(of: points.count, done: done)
            for p in points[..<pass] { checksum += model.evaluate(p).latencyCycles }
            done += pass
            elapsed = Date().timeIntervalSince(start)
        } while !budget.isSpent(points: done, of: points.count, seconds: elapsed)
        if checksum.isNaN { print("nan") }  // keeps the work observable
        return (done, elapsed)
    }

    /// The spec's dataflow points (or, without a dataflow template, its other templates' points
    /// taken as dataflow designs) with `allocation: balanced`, distinct, at most 4,096.
    static func balancedPoints(_ spec: DesignSpec) -> [DesignPoint] {
        let spaces = spec.space.templates.filter { $0.template == .dataflow }
        var seen = Set<DesignPoint>()
        var points: [DesignPoint] = []
        for space in spaces.isEmpty ? spec.space.templates : spaces {
            for i in 0..<min(space.count, 4096) where points.count < 4096 {
                var p = space.point(at: i)
                p.template = .dataflow
                p.allocation = .balanced
                if seen.insert(p).inserted { points.append(p) }
            }
        }
        return points
    }
}
