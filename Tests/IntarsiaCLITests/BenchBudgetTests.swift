import Testing
@testable import IntarsiaDriver

/// `intarsia bench --points N`: a fixed amount of work per case, the same in every build (what
/// instruction counts compare), beside the timed `--seconds`.
@Suite struct BenchBudgetTests {
    @Test func optionsGiveOneBudget() throws {
        #expect(try Bench.budget(seconds: nil, points: nil) == .seconds(1))
        #expect(try Bench.budget(seconds: 0.25, points: nil) == .seconds(0.25))
        #expect(try Bench.budget(seconds: nil, points: 70) == .points(70))
        for (s, n) in [(1.0, 5), (0.5, 1)] as [(Double?, Int?)] {
            #expect(throws: UserError.self) { try Bench.budget(seconds: s, points: n) }
        }
        for n in [0, -3, Bench.maxPointsPerCase + 1] {
            #expect(throws: UserError.self, "\(n)") { try Bench.budget(seconds: nil, points: n) }
        }
    }

    /// 70 points over a list of 32: two whole passes and 6 points of a third.
    @Test func aCountOfPointsEndsInAPartialPass() {
        let b = Bench.Budget.points(70)
        #expect(b.pass(of: 32, done: 0) == 32 && b.pass(of: 32, done: 64) == 6)
        #expect(!b.isSpent(points: 64, of: 32, seconds: 9e9) && b.isSpent(points: 70, of: 32, seconds: 0))
        #expect(b.isSpent(points: 0, of: 0, seconds: 0), "nothing to evaluate never reaches the count")
        #expect(Bench.Budget.seconds(2).pass(of: 32, done: 64) == 32)
    }

    @Test func everyCaseEvaluatesExactlyTheCount() throws {
        let rows = try Bench.run(specPaths: ["designs/intar/mlp-u280.yaml"], budget: .points(70))
        #expect(rows.map(\.label) == ["dataflow", "sequential", "reconfigurable", "dataflow-balanced"])
        #expect(rows.allSatisfy { $0.points == 70 && $0.coldPerSecond > 0 }, "\(rows.map(\.points))")
    }

    @Test func theCommandTakesPointsOrSeconds() throws {
        let r = try CLI.run(["bench", "designs/intar/mlp-u280.yaml", "--points", "40"], within: 60)
        #expect(r.status == 0, "\(r.stderr)")
        let counts = r.stdout.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ", omittingEmptySubsequences: true)[2] }
        #expect(counts == ["40", "40", "40", "40"], "\(r.stdout)")
        for bad in [["--points", "0"], ["--points", "5", "--seconds", "1"]] {
            let e = try CLI.run(["bench", "designs/intar/mlp-u280.yaml"] + bad, within: 20)
            #expect(e.status == 2 && e.stderr.contains("--points"), "\(bad): \(e.status) \(e.stderr)")
        }
    }
}
