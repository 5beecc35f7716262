import Foundation
import Testing
import IntarsiaCore
@testable import IntarsiaNAS

/// Operator tables (nn-Meter-style kernel costs for NAS-Bench-201 cells) and their non-negative
/// least-squares fit.
@Suite struct OperatorTableTests {
    /// The best of every active set: unconstrained least squares on each subset of columns, kept
    /// when all its coefficients are >= 0 (a brute force independent of Lawson-Hanson's path).
    static func bruteForce(_ a: [[Double]], _ b: [Double]) -> Double {
        let n = a[0].count
        var best = Double.infinity
        for mask in 0..<(1 << n) {
            let cols = (0..<n).filter { mask & (1 << $0) != 0 }
            let z = cols.isEmpty ? [] : NonNegativeLeastSquares.leastSquares(a, b, columns: cols)
            guard z.allSatisfy({ $0 >= -1e-12 }) else { continue }
            var x = [Double](repeating: 0, count: n)
            for (k, c) in cols.enumerated() { x[c] = z[k] }
            best = min(best, residual(a, b, x))
        }
        return best
    }

    static func residual(_ a: [[Double]], _ b: [Double], _ x: [Double]) -> Double {
        zip(a, b).reduce(0) { s, p in let r = p.1 - zip(p.0, x).reduce(0) { $0 + $1.0 * $1.1 }; return s + r * r }
    }

    @Test func nnlsEqualsBruteForceOverActiveSets() throws {
        var rng = SplitMix64(seed: 7)
        func u() -> Double { Double(rng.next() % 10_000) / 10_000 }
        for _ in 0..<40 {
            let a = (0..<12).map { _ in (0..<5).map { _ in u() * 2 - 0.5 } }
            let b = (0..<12).map { _ in u() * 4 - 1 }
            let x = try NonNegativeLeastSquares.solve(a, b)
            #expect(x.allSatisfy { $0 >= 0 })
            #expect(abs(Self.residual(a, b, x) - Self.bruteForce(a, b)) < 1e-8)
        }
    }

    /// Figures made by a known table (every cost > 0) under each treatment of dead operations: the
    /// fit finds the treatment and prices held-out cells exactly.
    @Test(arguments: NB201Features.Treatment.allCases) func recoversAKnownAdditiveTable(treatment: NB201Features.Treatment) throws {
        let costs = (0..<NB201Features.operatorCount).map { Double($0 % 7 + 1) * 0.25 }
        let cells = stride(from: 0, to: 15_625, by: 61).map { NB201Cell.all[$0] }
        func truth(_ c: NB201Cell) -> Double { 3 + zip(NB201Features.operators(c, treatment), costs).reduce(0) { $0 + $1.0 * $1.1 } }
        let csv = "architecture,latency_ms\n" + cells.map { "\($0),\(truth($0))\n" }.joined()
        let m = try MeasurementsTable.parse(csv, file: "known.csv")
        // Every other cell fitted (the numbering runs through the last edge's operations slowly,
        // so a leading block would never see some of them), the others priced.
        let t = try OperatorTable.fit(m, cells: cells, rows: Array(stride(from: 0, to: cells.count, by: 2)))
        #expect(t.deadOperations == treatment)
        for c in stride(from: 1, to: cells.count, by: 2).map({ cells[$0] }) { #expect(abs(t.predict(c, t.figure(.latency)!) - truth(c)) < 1e-6) }
        #expect(try OperatorTable.parse(t.csv, file: "t.csv") == t)
    }

    /// Fitted on 100 measured cells (seeded draws), the table ranks the other 957 microcontroller
    /// cells at Spearman >= 0.95 in latency and energy.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64]) func ranksTheMicrocontrollerCells(seed: UInt64) throws {
        let m = MeasuredCostTests.mcu
        let cells = try CostFitting.cells(m)
        let (fit, held) = try CostFitting.split(count: cells.count, train: 100, seed: seed)
        #expect(fit.count == 100 && held.count == 957 && Set(fit).isDisjoint(with: held))
        let t = try OperatorTable.fit(m, cells: cells, rows: fit)
        for f in [MeasuredFigureColumn.latency, .energy] {
            let measured = m.values(f)!
            let rho = RankCorrelation.spearman(held.map { t.predict(cells[$0], t.figure(f)!) }, held.map { measured[$0] })
            #expect(rho >= 0.95, "\(f) seed \(seed): \(rho)")
        }
    }

    @Test func onlyForNASBench201() throws {
        let t = OperatorTable(deadOperations: .execute, figures: [.init(figure: .latency, intercept: 1, costs: [Double](repeating: 1, count: 24))])
        #expect(throws: HardwareCostError.self) { try t.figures(space: TwoChoices()) }
        #expect(throws: HardwareCostError.self) { try OperatorTable.parse("operator,position,latency_ms\n", file: "x.csv") }
    }
}

/// A space that is not NAS-Bench-201.
struct TwoChoices: ArchitectureSpace {
    var name: String { "two" }
    var radices: [Int] { [2] }
    var count: Int { 2 }
    func digits(_ index: Int) -> [Int] { [index] }
    func index(_ digits: [Int]) -> Int { digits[0] }
    func architectureString(_ index: Int) -> String { "c=\(index)" }
    func workload(_ index: Int, dataType: DataType) throws -> Workload { throw HardwareCostError("no network") }
}
