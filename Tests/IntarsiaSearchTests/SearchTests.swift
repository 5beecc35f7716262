import Testing
import IntarsiaCore
import IntarsiaExplore
import IntarsiaFPGA
@testable import IntarsiaSearch

@Suite struct SearchTests {
    let model = FPGAModel(workload: try! BuiltinWorkload.selfAttention.make(), platform: PlatformCatalog.u280)

    var space: DesignSpace {
        let lanes: [KnobValue] = [16, 32, 64, 128, 256, 512, 1024].map { .int($0) }
        return DesignSpace([
            TemplateSpace(template: .dataflow, knobs: [(.lanes, lanes), (.allocation, [.text("proportional"), .text("uniform")])]),
            TemplateSpace(template: .sequential, knobs: [(.lanes, lanes), (.weightLoad, [.text("double_buffered"), .text("blocking")])]),
            TemplateSpace(template: .reconfigurable, knobs: [(.lanes, lanes), (.computeUnits, [.int(1), .int(2), .int(5)])]),
        ])
    }

    /// The non-dominated set by brute force: every pair compared.
    func bruteForceFront(_ all: [EvaluatedDesign], _ objectives: [Objective]) -> Set<[Double]> {
        let feasible = all.filter(\.evaluation.feasible)
        let front = feasible.filter { d in !feasible.contains { Dominance.dominates(ScoredEvaluation($0.evaluation, objectives), ScoredEvaluation(d.evaluation, objectives)) } }
        return Set(front.map { d in objectives.map { $0.cost(d.evaluation) } })
    }

    func collect(_ settings: SearchSettings, objectives: [Objective] = [.latencyMs, .dsp], workers: Int = 2) throws -> ([EvaluatedDesign], SearchSummary) {
        var runner = SearchRunner(model: model, space: space, objectives: objectives, settings: settings)
        runner.workers = workers
        var rows: [EvaluatedDesign] = []
        let summary = try runner.run(sink: { rows += $0 })
        return (rows, summary)
    }

    @Test func mixedRadixIndexingCoversTheSpaceOnce() {
        let t = space.templates[2]
        let points = (0..<t.count).map(t.point(at:))
        #expect(Set(points).count == t.count)
        #expect(t.genes(at: 5) == [5 % 7, 5 / 7])
        #expect(space.count == 14 + 14 + 21)
    }

    @Test func exhaustiveFrontEqualsBruteForce() throws {
        var s = SearchSettings()
        s.strategy = .exhaustive
        let objectives: [Objective] = [.latencyMs, .dsp, .energyMJ]
        let (rows, summary) = try collect(s, objectives: objectives)
        #expect(rows.count == space.count && summary.evaluated == space.count)
        #expect(rows.map(\.id) == Array(0..<rows.count))
        let archive = Set(summary.pareto.map { d in objectives.map { $0.cost(d.evaluation) } })
        #expect(archive == bruteForceFront(rows, objectives))
    }

    @Test func parallelAndSerialEvaluationAgree() {
        let points = (0..<space.count).map(space.point(at:))
        let serial = points.map(model.evaluate)
        #expect(ParallelEvaluator(model: model, workers: 3).evaluate(points + points + points) == serial + serial + serial)
    }

    @Test func pointDecoderGivesTheSpacesPointAtEveryIndex() {
        // Three templates of different knob lists and a template with a single-value knob.
        let fixed = DesignSpace(space.templates + [TemplateSpace(template: .sequential, knobs: [(.lanes, [.int(48)]), (.spill, [.text("always"), .text("overflow")])])])
        for s in [space, fixed] {
            let decoder = PointDecoder(s)
            #expect((0..<s.count).map(decoder.point(at:)) == (0..<s.count).map(s.point(at:)))
        }
    }

    @Test func proposalsAreMadeIntoPointsAndEvaluatedOnTheWorkersInOrder() {
        // Ids apart from indices (as a random run's are), indices repeated and out of order, more
        // than the 64 below which the evaluator stays on one thread.
        let indices = (0..<(3 * space.count)).map { ($0 * 17) % space.count }
        let asked = indices.enumerated().map { Proposal(id: 1000 + $0.offset, point: $0.element) }
        let serial = asked.map { a in (a.id, space.point(at: a.point), model.evaluate(space.point(at: a.point))) }
        for workers in [1, 2, 3] {
            let got = ParallelEvaluator(model: model, workers: workers).evaluate(asked, in: PointDecoder(space))
            #expect(got.map(\.id) == serial.map(\.0))
            #expect(got.map(\.point) == serial.map(\.1))
            #expect(got.map(\.evaluation) == serial.map(\.2))
        }
    }

    @Test func randomSearchIsDeterministicForASeedAndKeepsItsBudget() throws {
        var s = SearchSettings()
        s.strategy = .random
        s.budget = 20
        s.seed = 42
        let (a, _) = try collect(s, workers: 1)
        let (b, _) = try collect(s, workers: 2)
        #expect(a.count == 20)
        #expect(a.map(\.point) == b.map(\.point))
        #expect(Set(a.map(\.point)).count == 20)
        s.seed = 43
        let (c, _) = try collect(s)
        #expect(c.map(\.point) != a.map(\.point))
    }

    @Test func nsga2FindsTheExhaustiveFrontOnASmallSpace() throws {
        var ex = SearchSettings()
        ex.strategy = .exhaustive
        let (all, _) = try collect(ex)
        let truth = bruteForceFront(all, [.latencyMs, .dsp])
        var s = SearchSettings()
        s.strategy = .nsga2
        s.budget = 45
        s.population = 12
        s.seed = 3
        let (rows, summary) = try collect(s)
        #expect(rows.count <= 45)
        #expect(Set(rows.map(\.point)).count == rows.count)  // no design evaluated twice
        let found = Set(summary.pareto.map { [$0.evaluation.latencyMs, Double($0.evaluation.dsp)] })
        // Most of the true front with under the space's size in evaluations; every point it
        // reports as non-dominated is truly non-dominated or dominated only by unseen points.
        #expect(found.intersection(truth).count * 10 >= truth.count * 6, "found \(found.intersection(truth).count) of \(truth.count)")
        let (again, _) = try collect(s, workers: 1)
        #expect(again.map(\.point) == rows.map(\.point))
    }

    @Test func pruningSkipsOnlyProvablyInfeasibleDesigns() throws {
        var k = Constraints()
        k.dspFraction = 300.0 / 9024
        let m = FPGAModel(workload: try BuiltinWorkload.selfAttention.make(), platform: PlatformCatalog.u280, constraints: k)
        var s = SearchSettings()
        s.strategy = .exhaustive
        let runner = SearchRunner(model: m, space: space, objectives: [.latencyMs], settings: s)
        var rows: [EvaluatedDesign] = []
        let summary = try runner.run(sink: { rows += $0 })
        #expect(summary.pruned > 0 && summary.pruned + summary.evaluated == space.count)
        // Every pruned point really breaks the DSP limit.
        let kept = Set(rows.map(\.point))
        for i in 0..<space.count where !kept.contains(space.point(at: i)) {
            #expect(m.evaluate(space.point(at: i)).violations.contains(.dsp))
        }
    }

    @Test func archiveKeepsOnlyNonDominatedFeasibleDesigns() {
        var a = DesignFront(objectives: [.latencyCycles, .dsp])
        func d(_ id: Int, _ lat: Double, _ dsp: Int, feasible: Bool = true) -> EvaluatedDesign {
            var e = Evaluation()
            e.latencyCycles = lat
            e.dsp = dsp
            if !feasible { e.violations = .dsp }
            return EvaluatedDesign(id: id, point: DesignPoint(template: .sequential, lanes: 1), evaluation: e)
        }
        do { let r = a.offer(d(0, 10, 10)); #expect(r) }
        do { let r = a.offer(d(1, 11, 11)); #expect(!r) }          // dominated
        do { let r = a.offer(d(2, 5, 20)); #expect(r) }            // trade-off
        do { let r = a.offer(d(3, 1, 1, feasible: false)); #expect(!r) }
        do { let r = a.offer(d(4, 10, 10)); #expect(!r) }          // equal: first kept
        do { let r = a.offer(d(5, 4, 9)); #expect(r) }             // dominates both
        #expect(a.ids == [5])
    }
}
