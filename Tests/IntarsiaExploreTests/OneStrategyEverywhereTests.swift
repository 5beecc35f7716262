import Testing
import IntarsiaCore
import IntarsiaExplore
import IntarsiaFPGA
import IntarsiaSearch
import IntarsiaASIC
import IntarsiaNAS
import IntarsiaSpec

/// Problems from the three domains, each as the kernel sees it: points (flat indices of an FPGA
/// or ASIC space, NAS joint designs), the caller's variation hooks and scores.
enum Problems {
    static let fpgaModel = FPGAModel(workload: try! BuiltinWorkload.selfAttention.make(), platform: PlatformCatalog.u280)
    static var fpgaSpace: DesignSpace {
        let lanes: [KnobValue] = [16, 32, 64, 128, 256, 512, 1024].map { .int($0) }
        return DesignSpace([
            TemplateSpace(template: .dataflow, knobs: [(.lanes, lanes), (.allocation, [.text("proportional"), .text("uniform")])]),
            TemplateSpace(template: .sequential, knobs: [(.lanes, lanes), (.weightLoad, [.text("double_buffered"), .text("blocking")])]),
            TemplateSpace(template: .reconfigurable, knobs: [(.lanes, lanes), (.computeUnits, [.int(1), .int(2), .int(5)])]),
        ])
    }

    static let asic = try! ASICDesignSpec.parse(text: """
        workload: {builtin: resnet20-cifar}
        platform: {asic: 45nm, pe_budget: 4096, bandwidth_bytes_per_cycle: 64}
        accelerators:
          - {dataflow: [systolic_ws, systolic_os, nvdla, eyeriss], rows: [8, 16, 32], columns: [8, 16, 32], buffer_kib: [64, 256], bandwidth_bytes_per_cycle: [8, 32]}
        """, file: "asic.yaml")

    static let nas: CoExploration = {
        let knobs = ASICSpace.AcceleratorKnobs(dataflows: [.nvdla, .eyeriss], rows: [8, 16], columns: [16, 32], bufferKiB: [64], bandwidthBytesPerCycle: [16])
        let space = ASICSpace(accelerators: [knobs, knobs], networks: [], technology: .nm28, peBudget: 1024, bandwidthBudgetBytesPerCycle: 32)
        var k = ASICConstraints()
        k.maxEnergyMJ = 0.8
        k.maxAreaMM2 = 5
        let t = try! NB201Table.load()
        return try! CoExploration(tasks: [.nb201(.cifar10, table: t), .nb201(.cifar100, table: t)], space: space, clockMHz: 1000, constraints: k)
    }()
}

/// NSGA-II, regularised evolution, random sampling, local search and the REINFORCE controller,
/// each written once in IntarsiaExplore, on an FPGA, an ASIC and a NAS problem: every run evaluates distinct points within its budget, is
/// the same for a seed whatever the number of workers, and its front is the brute-force front of
/// what it evaluated.
@Suite struct OneStrategyEverywhereTests {
    static let names = [StrategyName.nsga2, StrategyName.evolution, StrategyName.random, StrategyName.local, StrategyName.reinforce]

    /// The feasible points no other evaluated point dominates, by brute force.
    func bruteForceFront<S: Scored>(_ all: [S]) -> Set<[Double]> {
        let feasible = all.filter(\.feasible)
        return Set(feasible.filter { d in !feasible.contains { Dominance.objectivesDominate($0, d) } }
            .map { d in (0..<d.objectiveCount).map(d.objective) })
    }

    @Test(arguments: names)
    func fpga(name: String) throws {
        func run(workers: Int) throws -> ([EvaluatedDesign], SearchSummary) {
            var s = SearchSettings()
            s.strategy = try #require(Strategy(rawValue: name))
            s.budget = 30
            s.population = 10
            var runner = SearchRunner(model: Problems.fpgaModel, space: Problems.fpgaSpace, objectives: [.latencyMs, .dsp], settings: s)
            runner.workers = workers
            var rows: [EvaluatedDesign] = []
            let summary = try runner.run(sink: { rows += $0 })
            return (rows, summary)
        }
        let (rows, summary) = try run(workers: 2)
        #expect(!rows.isEmpty && rows.count <= 30)
        #expect(Set(rows.map(\.point)).count == rows.count)
        #expect(try run(workers: 1).0.map(\.point) == rows.map(\.point))
        let front = Set(summary.pareto.map { [$0.evaluation.latencyMs, Double($0.evaluation.dsp)] })
        #expect(front == bruteForceFront(rows.map { ScoredEvaluation($0.evaluation, [.latencyMs, .dsp]) }))
    }

    @Test(arguments: names)
    func asic(name: String) throws {
        let spec = Problems.asic
        func run(workers: Int) throws -> (designs: [ASICDesign], front: Set<Int>) {
            var s = try StrategyRegistry<Int>.standard.make(name, StrategyContext(space: spec.space.indexed, budget: 40, seed: 5, population: 10))
            func open(_ s: inout some ExplorationStrategy<Int>) -> (designs: [ASICDesign], front: Set<Int>) {
                ASICExplorer.explore(spec.space, clockMHz: spec.clockMHz, constraints: spec.constraints, objectives: spec.objectives,
                                     strategy: &s, workers: workers)
            }
            return open(&s)
        }
        let r = try run(workers: 2)
        #expect(!r.designs.isEmpty && r.designs.count <= 40)
        #expect(Set(r.designs.map(\.id)).count == r.designs.count)
        #expect(try run(workers: 1).designs.map(\.id) == r.designs.map(\.id))
        let scored = r.designs.map { ScoredASICDesign(design: $0, objectives: spec.objectives) }
        #expect(Set(scored.filter { r.front.contains($0.design.id) }.map { d in (0..<d.objectiveCount).map(d.objective) }) == bruteForceFront(scored))
    }

    @Test(arguments: names)
    func nas(name: String) throws {
        let p = Problems.nas
        func run(workers: Int) throws -> [ScoredOutcome] {
            var c = StrategyContext(budget: 120, seed: 3, population: 20, variation: p.variation())
            c.distinct = true
            c.neighbours = p.neighbours(of:)
            c.decisions = p.decisionSizes
            c.decode = p.design(from:)
            var s = try StrategyRegistry<CoExploration.Design>.standard.make(name, c)
            var out: [ScoredOutcome] = []
            Explorer.run(any: &s, workers: workers, evaluate: { p.scored(p.evaluate($0)) }) { _, r in out += r }
            return out
        }
        let r = try run(workers: 2)
        #expect(!r.isEmpty && r.count <= 120)
        #expect(Set(r.map(\.outcome.design)).count == r.count)
        #expect(try run(workers: 1).map(\.outcome.design) == r.map(\.outcome.design))
        // A feasible design is found, and its first objective is its negated weighted accuracy.
        let best = try #require(r.filter(\.feasible).min { $0.objective(0) < $1.objective(0) })
        #expect(best.objective(0) == -best.outcome.weightedAccuracy && best.outcome.weightedAccuracy > 100)
    }
}
