import Testing
import IntarsiaCore
import IntarsiaExplore

/// NSGA-II's fronts and crowding (moved from the NAS tests with the sorting itself).
@Suite struct NonDominatedSortingTests {
    /// Fronts and crowding on random members, against definitions applied by brute force: front 0
    /// is the members nothing dominates; front k the members only earlier fronts dominate; the
    /// ends of each objective's range in a front of feasible members get infinite crowding.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func frontsMatchTheDefinition(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let m: [Scores] = (0..<40).map { _ in
            let feasible = rng.below(4) != 0
            let o = (0..<4).map { _ in Double(rng.below(5)) }
            return Scores(objectives: o, feasible: feasible, violation: feasible ? 0 : Double(rng.below(3)))
        }
        let (rank, crowding) = NonDominatedSorting.rankAndCrowding(m)
        // By the definition, peeling fronts one by one.
        var left = Set(m.indices), expected = [Int](repeating: -1, count: m.count), r = 0
        while !left.isEmpty {
            let front = left.filter { i in !left.contains { j in j != i && Dominance.dominates(m[j], m[i]) } }
            for i in front { expected[i] = r }
            left.subtract(front)
            r += 1
        }
        #expect(rank == expected)
        // Every feasible member beats every infeasible one, so feasible ones rank first.
        let worstFeasible = m.indices.filter { m[$0].feasible }.map { rank[$0] }.max() ?? -1
        let bestInfeasible = m.indices.filter { !m[$0].feasible }.map { rank[$0] }.min() ?? Int.max
        #expect(worstFeasible < bestInfeasible)
        for f in 0..<r {
            let members = m.indices.filter { rank[$0] == f && m[$0].feasible }
            guard members.count > 1 else { continue }
            for k in 0..<4 {
                let lo = members.map { m[$0].objectives[k] }.min()!
                #expect(members.contains { m[$0].objectives[k] == lo && crowding[$0] == .infinity })
            }
        }
    }

    /// A hand-worked case: (accuracy 90, 1 ms) and (80, 0.5 ms) are both on front 0; (80, 1 ms)
    /// is dominated by both; an infeasible design is behind every feasible one, and of two
    /// infeasible ones the smaller overshoot is ahead.
    @Test func handWorkedFronts() {
        func s(_ o: [Double], _ feasible: Bool = true, _ violation: Double = 0) -> Scores { Scores(objectives: o, feasible: feasible, violation: violation) }
        let m = [s([-90, 1, 1, 1]), s([-80, 0.5, 1, 1]), s([-80, 1, 1, 1]), s([-99, 0.1, 0.1, 0.1], false, 0.5), s([-99, 0.1, 0.1, 0.1], false, 0.2)]
        #expect(NonDominatedSorting.rankAndCrowding(m).rank == [0, 0, 1, 3, 2])
    }
}
