import Testing
import IntarsiaCore
import IntarsiaExplore
import IntarsiaFPGA
import IntarsiaSearch
import IntarsiaASIC

/// A strategy added by a test alone: every point of the space from the last index down,
/// registered by name and run on an FPGA and an ASIC problem without touching another file.
struct Countdown: ExplorationStrategy {
    var next: Int
    let planned: Int
    init(_ c: StrategyContext<Int>) {
        next = (c.count ?? 0) - 1
        planned = c.count ?? 0
    }
    mutating func ask() -> [Proposal<Int>] {
        guard next >= 0 else { return [] }
        defer { next -= 1 }
        return [Proposal(id: next, point: next)]
    }
    mutating func tell<S: Scored>(_ asked: [Proposal<Int>], _ scores: [S]) {}
}

@Suite struct ToyStrategyTests {
    var registry: StrategyRegistry<Int> {
        var r = StrategyRegistry<Int>.standard
        r.register("countdown") { Countdown($0) }
        return r
    }

    /// On FPGA: the same designs as the exhaustive run, in reverse order, and the same front (as
    /// objective values: of equal designs each run keeps the first it saw).
    @Test func countdownOnFPGAIsExhaustiveReversed() throws {
        var settings = SearchSettings()
        settings.strategy = .exhaustive
        let runner = SearchRunner(model: Problems.fpgaModel, space: Problems.fpgaSpace, objectives: [.latencyMs, .dsp], settings: settings)
        var all: [EvaluatedDesign] = []
        let exhaustive = try runner.run(sink: { all += $0 })
        var s = try registry.make("countdown", runner.context)
        var rows: [EvaluatedDesign] = []
        let summary = try runner.run(&s, as: .exhaustive, sink: { rows += $0 })
        #expect(rows.map(\.id) == Array((0..<Problems.fpgaSpace.count).reversed()))
        #expect(rows.map(\.point) == all.reversed().map(\.point))
        func values(_ front: [EvaluatedDesign]) -> Set<[Double]> { Set(front.map { [$0.evaluation.latencyMs, Double($0.evaluation.dsp)] }) }
        #expect(values(summary.pareto) == values(exhaustive.pareto))
    }

    /// On ASIC: the same front as the exhaustive explorer (as objective values: of equal designs
    /// each run keeps the first it saw).
    @Test func countdownOnASICFindsTheExhaustiveFront() throws {
        let spec = Problems.asic
        let exhaustive = ASICExplorer.explore(spec.space, clockMHz: spec.clockMHz, constraints: spec.constraints, objectives: spec.objectives)
        var s = Countdown(StrategyContext(space: spec.space.indexed, budget: 0, seed: 1))
        let r = ASICExplorer.explore(spec.space, clockMHz: spec.clockMHz, constraints: spec.constraints, objectives: spec.objectives, strategy: &s)
        #expect(r.designs.map(\.id) == Array((0..<spec.space.count).reversed()))
        func values(_ designs: [ASICDesign], _ front: Set<Int>) -> Set<[Double]> {
            Set(designs.filter { front.contains($0.id) }.map { d in spec.objectives.map { $0.value(d) } })
        }
        #expect(!exhaustive.front.isEmpty)
        #expect(values(r.designs, r.front) == values(exhaustive.designs, exhaustive.front))
    }
}
