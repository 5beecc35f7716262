import Testing
import IntarsiaCore
import IntarsiaExplore

/// NSGA-II and regularised evolution against random sampling at an equal budget, on toy spaces
/// whose optimum and front are known by brute force, with random sampling's expectation worked
/// out exactly (hypergeometric): a strategy that uses what it is told must do better than the
/// draws it starts from.
@Suite struct BeatsRandomTests {
    static let space = IndexedSpace(radices: [20, 20])
    static let seeds: [UInt64] = Array(1...10)

    /// One objective (plus a constant second): the Manhattan distance to (13, 7), 0 only there.
    struct Bowl: Scored, Sendable {
        var x: Int, y: Int
        var distance: Int { abs(x - 13) + abs(y - 7) }
        var feasible: Bool { true }
        var violation: Double { 0 }
        var objectiveCount: Int { 2 }
        func objective(_ k: Int) -> Double { k == 0 ? Double(distance) : 0 }
    }

    /// Two objectives (x, 19 - x + y): the front is y = 0, twenty of the 400 points.
    struct Slope: Scored, Sendable {
        var x: Int, y: Int
        var feasible: Bool { true }
        var violation: Double { 0 }
        var objectiveCount: Int { 2 }
        func objective(_ k: Int) -> Double { k == 0 ? Double(x) : Double(19 - x + y) }
    }

    static func point(_ i: Int) -> (x: Int, y: Int) { let d = space.digits(at: i); return (d[0], d[1]) }

    static func run<R: Scored & Sendable>(_ name: String, budget: Int, seed: UInt64, evaluate: @escaping @Sendable (Int) -> R) throws -> [R] {
        var c = StrategyContext(space: space, budget: budget, seed: seed, population: 10)
        c.sample = 3
        var s = try StrategyRegistry<Int>.standard.make(name, c)
        var told: [R] = []
        Explorer.run(any: &s, workers: 1, evaluate: evaluate) { _, r in told += r }
        return told
    }

    /// E[min of n distinct uniform draws] over `values` = Σ_{v >= 1} P(min >= v), with
    /// P(min >= v) = C(#{values >= v}, n) / C(N, n) (a product, to stay in range).
    static func expectedMinimum(of values: [Int], draws n: Int) -> Double {
        let total = values.count
        var e = 0.0
        for v in 1...(values.max() ?? 0) {
            let above = values.filter { $0 >= v }.count
            var p = 1.0
            for i in 0..<n { p *= Double(max(above - i, 0)) / Double(total - i) }
            e += p
        }
        return e
    }

    /// Regularised evolution (population 10, fittest of 3) with 60 of 400 points: random
    /// sampling's expected best distance, worked out exactly, is about 1.42 and it finds the
    /// optimum with probability 60/400 = 0.15; evolution's mean best over ten seeds is lower and
    /// it finds the optimum more often than random does over the same seeds.
    @Test func evolutionBeatsRandomOnTheBowl() throws {
        let evaluate: @Sendable (Int) -> Bowl = { let p = BeatsRandomTests.point($0); return Bowl(x: p.x, y: p.y) }
        let all = (0..<Self.space.count).map { evaluate($0).distance }
        #expect(all.filter { $0 == 0 }.count == 1)
        let expected = Self.expectedMinimum(of: all, draws: 60)
        #expect(abs(expected - 1.4243) < 1e-3)
        var evolutionBest = 0, randomBest = 0, evolutionFound = 0, randomFound = 0
        for seed in Self.seeds {
            let e = try Self.run(StrategyName.evolution, budget: 60, seed: seed, evaluate: evaluate).map(\.distance).min()!
            let r = try Self.run(StrategyName.random, budget: 60, seed: seed, evaluate: evaluate).map(\.distance).min()!
            evolutionBest += e
            randomBest += r
            if e == 0 { evolutionFound += 1 }
            if r == 0 { randomFound += 1 }
        }
        let n = Double(Self.seeds.count)
        #expect(Double(evolutionBest) / n < expected, "evolution's mean best \(Double(evolutionBest) / n), random's expectation \(expected)")
        #expect(evolutionBest < randomBest && evolutionFound > randomFound, "found \(evolutionFound) vs \(randomFound)")
    }

    /// NSGA-II (population 10) with 100 of 400 points: random sampling finds 100 · 20 / 400 = 5
    /// of the twenty front points on average; NSGA-II finds more than half as many again on
    /// average over ten seeds, and more than random does over the same seeds.
    @Test func nsga2BeatsRandomOnTheSlope() throws {
        let evaluate: @Sendable (Int) -> Slope = { let p = BeatsRandomTests.point($0); return Slope(x: p.x, y: p.y) }
        // The front by brute force: the points no other point dominates.
        let all = (0..<Self.space.count).map(evaluate)
        let front = all.filter { d in !all.contains { Dominance.objectivesDominate($0, d) } }
        #expect(front.count == 20 && front.allSatisfy { $0.y == 0 })
        var nsga2Found = 0, randomFound = 0
        for seed in Self.seeds {
            nsga2Found += Set(try Self.run(StrategyName.nsga2, budget: 100, seed: seed, evaluate: evaluate).filter { $0.y == 0 }.map(\.x)).count
            randomFound += Set(try Self.run(StrategyName.random, budget: 100, seed: seed, evaluate: evaluate).filter { $0.y == 0 }.map(\.x)).count
        }
        let n = Double(Self.seeds.count)
        #expect(Double(nsga2Found) / n > 1.5 * 5, "NSGA-II found \(Double(nsga2Found) / n) front points on average")
        #expect(nsga2Found > randomFound)
    }
}
