import Testing
import IntarsiaCore
import IntarsiaExplore

@Suite struct IndexedSpaceTests {
    /// Two parts: radices (3, 2) (6 points) then (4) (4 points). Index 4 is part 0 with digits
    /// (4 % 3, 4 / 3) = (1, 1); index 7 is part 1, local 1.
    @Test func decodesAndEncodesByHand() {
        let s = IndexedSpace(parts: [[3, 2], [4]])
        #expect(s.count == 10)
        #expect(s.decode(4).part == 0 && s.decode(4).digits == [1, 1])
        #expect(s.decode(7).part == 1 && s.decode(7).digits == [1])
        #expect(s.encode(part: 0, [1, 1]) == 4 && s.encode(part: 1, [1]) == 7)
        for i in 0..<s.count {
            let (p, d) = s.decode(i)
            #expect(s.encode(part: p, d) == i)
        }
    }

    /// Neighbours of (1, 1) in radices (3, 2): digit 0 counting up from 1 (2, then 0), then digit 1
    /// (0): indices 2 + 3 = 5, 0 + 3 = 3, and 1 + 0 = 1.
    @Test func neighboursCountUpFromTheCurrentValue() {
        let s = IndexedSpace(radices: [3, 2])
        #expect(s.neighbours(of: 4) == [5, 3, 1])
    }
}

@Suite struct DominanceTests {
    func s(_ o: [Double], _ feasible: Bool = true, _ violation: Double = 0) -> Scores { Scores(objectives: o, feasible: feasible, violation: violation) }

    @Test func constrainedDomination() {
        #expect(Dominance.dominates(s([1, 1]), s([1, 2])))
        #expect(!Dominance.dominates(s([1, 2]), s([2, 1])) && !Dominance.dominates(s([2, 1]), s([1, 2])))
        #expect(!Dominance.dominates(s([1, 1]), s([1, 1])))
        // Feasible beats infeasible whatever the objectives; of two infeasible, the smaller violation.
        #expect(Dominance.dominates(s([9, 9]), s([0, 0], false, 1)))
        #expect(Dominance.dominates(s([9, 9], false, 0.5), s([0, 0], false, 1)))
        #expect(!Dominance.dominates(s([0, 0], false, 1), s([9, 9], false, 0.5)))
    }

    @Test func archiveKeepsTheFirstOfEqualPointsAndDropsDominatedOnes() {
        var a = ParetoArchive<Scores>()
        let joined = [s([10, 10]), s([11, 11]), s([5, 20]), s([1, 1], false, 1), s([10, 10]), s([4, 9])].map { a.offer($0) }
        // Joins; dominated; a trade-off; infeasible; equal to a member (the first stays); dominates both.
        #expect(joined == [true, false, true, false, false, true])
        #expect(a.members == [s([4, 9])])
    }

    /// NaN is worse than any number: (NaN, 1) does not dominate (5, 2) although it is better in
    /// the second objective, (5, 2) dominates (NaN, 2), and two NaNs tie.
    @Test func aNaNObjectiveIsWorseThanAnyNumber() {
        let nan = Double.nan
        #expect(!Dominance.dominates(s([nan, 1]), s([5, 2])))
        #expect(Dominance.dominates(s([5, 2]), s([nan, 2])))
        #expect(Dominance.dominates(s([nan, 1]), s([nan, 2])))
        #expect(!Dominance.dominates(s([nan, 2]), s([nan, 2])))
        #expect(!Dominance.weaklyDominates(s([nan, 1]), s([5, 2])))
        #expect(Dominance.weaklyDominates(s([5, 2]), s([nan, 2])))
        #expect(Dominance.weaklyDominates(s([nan, 2]), s([nan, 2])))
        var a = ParetoArchive<Scores>()
        _ = a.offer(s([nan, 1]))
        _ = a.offer(s([5, 2]))
        #expect(a.members.count == 2)
        _ = a.offer(s([4, 1]))
        #expect(a.members == [s([4, 1])])
    }

    @Test func unknownStrategyNamesTheAcceptedOnes() {
        let c = StrategyContext(space: IndexedSpace(radices: [2]), budget: 2, seed: 1)
        #expect(throws: StrategyRegistry<Int>.UnknownStrategy.self) { try StrategyRegistry<Int>.standard.make("annealing", c) }
        #expect(StrategyRegistry<Int>.standard.names == ["exhaustive", "random", "nsga2", "evolution", "local", "reinforce"])
    }
}

/// The strategies on a toy problem with a known front: points of a 20 x 20 grid (digits x, y),
/// objectives (x, 19 - x + y): the front is y = 0, twenty points.
@Suite struct StrategyTests {
    let space = IndexedSpace(radices: [20, 20])
    struct Toy: Scored, Sendable {
        var x: Double, y: Double
        var feasible: Bool { true }
        var violation: Double { 0 }
        var objectiveCount: Int { 2 }
        func objective(_ k: Int) -> Double { k == 0 ? x : 19 - x + y }
    }
    func evaluate(_ i: Int) -> Toy { Toy(x: Double(i % 20), y: Double(i / 20)) }

    func run(_ name: String, budget: Int, seed: UInt64 = 1, workers: Int = 2) throws -> [Int] {
        var s = try StrategyRegistry<Int>.standard.make(name, StrategyContext(space: space, budget: budget, seed: seed, population: 20))
        var asked: [Int] = []
        let space = self.space
        Explorer.run(any: &s, workers: workers, evaluate: { i in Toy(x: Double(i % 20), y: Double(space.decode(i).digits[1])) }) { a, _ in
            asked += a.map(\.point)
        }
        return asked
    }

    @Test(arguments: ["random", "nsga2", "evolution"])
    func distinctWithinBudgetAndDeterministic(name: String) throws {
        let a = try run(name, budget: 150)
        #expect(a.count <= 150 && !a.isEmpty)
        #expect(Set(a).count == a.count)
        #expect(try run(name, budget: 150, workers: 1) == a)
        #expect(try run(name, budget: 150, seed: 2) != a)
    }

    /// NSGA-II with 200 of the 400 points finds most of the front y = 0.
    @Test func nsga2ConvergesOnTheFront() throws {
        let a = try run("nsga2", budget: 200)
        let front = Set(a.filter { $0 / 20 == 0 })
        #expect(front.count >= 12, "found \(front.count) of 20")
    }

    @Test func exhaustivePrunesThroughTheHook() throws {
        var c = StrategyContext(space: space, budget: 0, seed: 1)
        c.prune = { $0 % 2 == 1 }
        var s = try Exhaustive(c)
        var ids: [Int] = []
        Explorer.run(&s, evaluate: evaluate) { a, _ in ids += a.map(\.id) }
        #expect(ids == Array(stride(from: 0, to: 400, by: 2)))
        #expect(s.pruned == 200)
    }
}
