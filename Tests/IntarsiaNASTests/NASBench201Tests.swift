import Testing
import IntarsiaCore
import IntarsiaASIC
@testable import IntarsiaNAS

@Suite struct NASBench201Tests {
    @Test func shippedTableHasEveryCellAndThePublishedMaxima() throws {
        let t = try NB201Table.load()
        #expect(t.cells.count == 15_625)
        #expect(Set(t.cells).count == 15_625)
        #expect(Set(t.cells) == Set(NB201Cell.all))
        // Maxima from the data's README: 94.37 (index 6111), 73.51 (9930), 47.31 (857).
        func argmax(_ d: NB201Table.Dataset) -> (Int, Double) {
            let a = t.accuracy[d]!
            let i = a.indices.max { a[$0] < a[$1] }!
            return (i, (a[i] * 100).rounded() / 100)
        }
        #expect(argmax(.cifar10) == (6111, 94.37))
        #expect(argmax(.cifar100) == (9930, 73.51))
        #expect(argmax(.imagenet16) == (857, 47.31))
    }

    @Test func cellStringsRoundTrip() {
        let s = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"
        #expect(NB201Cell(s)?.description == s)
        #expect(NB201Cell("|nor_conv_3x3~0|+|x~0|") == nil)
    }

    @Test func theTableReadersFastPathReadsTheWrittenSpellingAndOnlyIt() throws {
        // Every cell as `description` writes it: read back to itself, as the general parser does.
        for c in NB201Cell.all {
            let text = Substring(c.description)
            #expect(NB201Cell(canonical: text.utf8) == c)
        }
        // Spellings the general parser takes (empty pieces between bars) but the fast path does
        // not: the table still reads them, through the general parser.
        let loose = "||nor_conv_3x3~0|+|none~0||skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2||"
        let cell = try #require(NB201Cell(loose))
        #expect(cell.edges == [.conv3x3, .none, .skipConnect, .avgPool3x3, .conv1x1, .none])
        #expect(NB201Cell(canonical: Substring(loose).utf8) == nil)
        for bad in ["|none~1|+|none~0|none~1|+|none~0|none~1|none~2|", "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|x",
                    "|none~0|+|none~0|none~1|+|none~0|none~1|", "|nonex~0|+|none~0|none~1|+|none~0|none~1|none~2|"] {
            #expect(NB201Cell(canonical: Substring(bad).utf8) == nil, "\(bad)")
        }
        let table = try NB201Table.parse("index,arch,cifar10_acc,cifar100_acc,imagenet16_acc\n0,\(loose),90.5,70.25,40\n")
        #expect(table.cells == [cell] && table.accuracy[.cifar100] == [70.25])
    }

    /// All-3×3-convolution cells on CIFAR (32×32): MACs worked out by hand from the macro network.
    @Test func macroNetworkMACsByHand() throws {
        let cell = NB201Cell(edges: Array(repeating: .conv3x3, count: 6))
        let w = try NB201Network.workload(cell, inputSize: 32, classes: 10)
        func conv(_ c: Int, _ k: Int, _ r: Int, _ hw: Int) -> Int { c * k * r * r * hw * hw }
        var expected = conv(3, 16, 3, 32)
        for (c, hw) in [(16, 32), (32, 16), (64, 8)] { expected += 5 * 6 * conv(c, c, 3, hw) }
        for (c, hw) in [(16, 32), (32, 16)] {
            expected += conv(c, 2 * c, 3, hw / 2) + conv(2 * c, 2 * c, 3, hw / 2) + conv(c, 2 * c, 1, hw / 2)
        }
        expected += 64 * 10
        #expect(w.totalMACs == expected)
        // A cell of skips and pools has no MACs of its own.
        let light = try NB201Network.workload(NB201Cell(edges: [.skipConnect, .avgPool3x3, .none, .skipConnect, .none, .avgPool3x3]))
        #expect(light.totalMACs < expected / 10)
        // Every cell of the space builds a valid workload (empty cells included).
        for cell in NB201Cell.all.prefix(200) { _ = try NB201Network.workload(cell) }
    }
}

@Suite struct NB201CostTests {
    /// The additive shortcut equals costing each cell's whole workload layer by layer, MAC and
    /// non-MAC layers, with dead operations executed or pruned, on every dataflow.
    @Test(arguments: [ASICDataflow.systolicOS, .nvdla, .eyeriss])
    func additiveCostsEqualWholeNetworkEvaluation(dataflow: ASICDataflow) throws {
        let t = ASICTechnology.nm45
        var acc = ASICAccelerator(dataflow: dataflow, rows: 16, columns: 16)
        acc.nocElementsPerCycle = 64
        for d in [NB201Table.Dataset.cifar10, .imagenet16] {
            let sample = stride(from: 0, to: 15_625, by: 977).map { NB201Cell.all[$0] }
            for dead in NB201Network.DeadOperations.allCases {
                let fast = try NB201Network.asicCosts(of: sample, dataset: d, deadOperations: dead, on: acc, technology: t)
                for (i, cell) in sample.enumerated() {
                    let w = try NB201Network.workload(cell, inputSize: d.inputSize, classes: d.classes, deadOperations: dead)
                    let full = ASICModel.network(ConvLayer.layers(of: w, vectorOperators: true, fuseActivations: false), on: acc, technology: t)
                    #expect(abs(full.cycles - fast.cycles[i]) <= 1e-9 * full.cycles, "\(cell) \(dead)")
                    #expect(abs(full.energyPicojoules - fast.energy[i]) <= 1e-9 * full.energyPicojoules, "\(cell) \(dead)")
                }
            }
        }
    }

    /// Executing dead operations prices the edges of a node that receives nothing; pruning drops
    /// them. A cell whose node 1 gets nothing (edge 0 none) and whose edges out of node 1 are
    /// convolutions: executing costs exactly those two edges more (a ReLU and a 3×3 convolution
    /// each, five cells per stage), worked out from the per-layer model.
    @Test func deadOperationsExecuteOrPrune() throws {
        let t = ASICTechnology.nm45
        let acc = ASICAccelerator(dataflow: .systolicWS, rows: 16, columns: 16)
        // Edges: 0→1 none, 0→2 skip, 1→2 conv3x3, 0→3 skip, 1→3 conv3x3, 2→3 none.
        let cell = NB201Cell(edges: [.none, .skipConnect, .conv3x3, .skipConnect, .conv3x3, .none])
        let d = NB201Table.Dataset.cifar10
        let run = try NB201Network.asicCosts(of: [cell], dataset: d, deadOperations: .execute, on: acc, technology: t).cycles[0]
        let pruned = try NB201Network.asicCosts(of: [cell], dataset: d, deadOperations: .prune, on: acc, technology: t).cycles[0]
        var extra = 0.0
        for (c, s) in NB201Network.stages(inputSize: 32) {
            let relu = ConvLayer(name: "r", filters: 1, channels: 1, kernelH: 1, kernelW: 1, outH: c * s * s, outW: 1, operation: .vector(.simpleActivation, operandsPerOutput: 1))
            let conv = ConvLayer(name: "c", filters: c, channels: c, kernelH: 3, kernelW: 3, outH: s, outW: s)
            let add = ConvLayer(name: "a", filters: 1, channels: 1, kernelH: 1, kernelW: 1, outH: c * s * s, outW: 1, operation: .vector(.elementwise, operandsPerOutput: 2))
            // Two executed conv edges, and nodes 2 and 3 now sum two inputs each.
            extra += 5 * (2 * (ASICModel.cost(relu, on: acc, technology: t).totalCycles + ASICModel.cost(conv, on: acc, technology: t).totalCycles)
                          + 2 * ASICModel.cost(add, on: acc, technology: t).totalCycles)
        }
        #expect(abs(run - pruned - extra) <= 1e-9 * run)
    }
}

@Suite struct ExactSelectionTests {
    static let shared = try! NB201Table.load()

    /// On reduced spaces the exact method equals brute-force enumeration.
    @Test(arguments: 0..<8)
    func exactEqualsBruteForce(seed: Int) throws {
        let table = Self.shared
        var s = UInt64(seed) &* 2654435761 &+ 17
        func next(_ n: Int) -> Int { s = s &* 6364136223846793005 &+ 1442695040888963407; return Int((s >> 33) % UInt64(n)) }
        let datasets = NB201Table.Dataset.allCases
        let acc = ASICAccelerator(dataflow: .systolicOS, rows: 16, columns: 16)
        var tasks: [ExactSelection.Task] = []
        for (k, d) in datasets.enumerated() {
            let cells = (0..<12).map { _ in next(15_625) }
            let (lat, en) = try NB201Network.asicCosts(of: cells.map { table.cells[$0] }, dataset: d, deadOperations: .execute, on: acc, technology: .nm45)
            tasks.append(ExactSelection.Task(name: d.rawValue, weight: [1, 1, 1][k], subAccelerator: k % 2,
                                             candidates: cells.indices.map { .init(index: cells[$0], accuracy: table.accuracy[d]![cells[$0]], latency: lat[$0], energy: en[$0]) }))
        }
        // Budgets between the cheapest and the most expensive choices, so that they bind.
        let maxLat = tasks.map { $0.candidates.map(\.latency).max()! }.reduce(0, +) * 0.5
        let maxEnergy = tasks.map { $0.candidates.map(\.energy).reduce(0, +) / Double($0.candidates.count) }.reduce(0, +)
        let brute = ExactSelection.bruteForce(tasks, maxLatency: maxLat, maxEnergy: maxEnergy)
        let exact = try? ExactSelection.solve(tasks, maxLatency: maxLat, maxEnergy: maxEnergy)
        #expect((brute == nil) == (exact == nil), "seed \(seed)")
        if let b = brute, let e = exact {
            #expect(abs(b - e.weightedAccuracy) < 1e-6, "seed \(seed): brute \(b), exact \(e.weightedAccuracy)")
            #expect(e.status == .optimal && e.latency <= maxLat * (1 + 1e-9) && e.energy <= maxEnergy * (1 + 1e-9))
        }
        // With static energy (an FPGA card's static power over the design's latency), set so that
        // it is about as large as the dynamic energy: the λ ≥ every load formulation against the
        // brute force, which adds it to each combination's energy.
        let perLatency = maxEnergy / maxLat
        let bruteStatic = ExactSelection.bruteForce(tasks, maxLatency: maxLat, maxEnergy: 2 * maxEnergy, staticEnergyPerLatency: perLatency)
        let exactStatic = try? ExactSelection.solve(tasks, maxLatency: maxLat, maxEnergy: 2 * maxEnergy, staticEnergyPerLatency: perLatency)
        #expect((bruteStatic == nil) == (exactStatic == nil), "seed \(seed), static energy")
        if let b = bruteStatic, let e = exactStatic {
            #expect(abs(b - e.weightedAccuracy) < 1e-6, "seed \(seed), static energy: brute \(b), exact \(e.weightedAccuracy)")
            #expect(e.energy + perLatency * e.latency <= 2 * maxEnergy * (1 + 1e-9))
        }
    }

    @Test func dominatedArchitecturesArePruned() {
        let c: [ExactSelection.Candidate] = [.init(index: 0, accuracy: 90, latency: 10, energy: 5), .init(index: 1, accuracy: 89, latency: 11, energy: 5),
                                             .init(index: 2, accuracy: 93, latency: 20, energy: 9), .init(index: 3, accuracy: 90, latency: 10, energy: 5)]
        #expect(ExactSelection.nonDominated(c).map(\.index).sorted() == [0, 2])
    }
}

@Suite struct CoExplorationTests {
    func problem() throws -> CoExploration {
        let knobs = ASICSpace.AcceleratorKnobs(dataflows: [.nvdla, .eyeriss], rows: [8, 16], columns: [16], bufferKiB: [64], bandwidthBytesPerCycle: [16])
        let space = ASICSpace(accelerators: [knobs, knobs], networks: [], technology: .nm28, peBudget: 1024, bandwidthBudgetBytesPerCycle: 32)
        var k = ASICConstraints()
        k.maxEnergyMJ = 0.6
        k.maxAreaMM2 = 5
        let t = ExactSelectionTests.shared
        return try CoExploration(tasks: [.nb201(.cifar10, table: t), .nb201(.cifar100, table: t)], space: space, clockMHz: 1000, constraints: k)
    }

    /// The exact optimum is feasible and no strategy's design beats it; NAS-then-hardware breaks
    /// the energy spec that co-exploration meets.
    @Test func exactBoundsEveryStrategyAndSuccessiveBreaksASpec() throws {
        let p = try problem()
        let exact = try #require(try p.exact().best)
        #expect(exact.feasible)
        var bestSeen = -Double.infinity
        p.randomSearch(budget: 400, seed: 5) { _, o in if o.feasible { bestSeen = max(bestSeen, o.weightedAccuracy) } }
        p.evolution(budget: 400, seed: 5) { _, o in if o.feasible { bestSeen = max(bestSeen, o.weightedAccuracy) } }
        #expect(bestSeen <= exact.weightedAccuracy + 1e-9)
        let s = try p.successive()
        #expect(!s.feasible && s.violations.contains { $0.hasPrefix("energy_mj") })
        #expect(s.weightedAccuracy > exact.weightedAccuracy)
    }

    /// Brute force over every hardware candidate and assignment with each task's cells limited
    /// to its non-dominated ones (which contain an optimum): the same optimum as the exact method.
    /// A power spec is refused by the exact method rather than answered wrongly (power is energy
    /// over latency: the pruning of dominated cells does not keep an optimum under it).
    @Test func theExactMethodRefusesAPowerSpec() throws {
        let base = try problem()
        var k = base.constraints
        k.maxPowerW = 0.3
        let p = try CoExploration(tasks: base.tasks, hardware: base.hardware, constraints: k)
        #expect(throws: CoExploration.NoExactUnderPower.self) { _ = try p.exact() }
    }

    @Test func exactEqualsBruteForceOverHardwareAndFrontierCells() throws {
        let p = try problem()
        let exact = try #require(try p.exact().best)
        #expect(abs(Self.bruteForceOverFrontierCells(p) - exact.weightedAccuracy) < 1e-9)
    }

    /// The best feasible weighted accuracy of a two-task problem by enumeration: every hardware
    /// candidate, every assignment, every pair of the tasks' non-dominated cells on their
    /// sub-accelerators (an optimum is among them: a dominated cell can be swapped for the one
    /// dominating it without breaking a spec).
    static func bruteForceOverFrontierCells(_ p: CoExploration) -> Double {
        var best = -Double.infinity
        for h in 0..<p.hardware.count where p.hardwareViolations(h).isEmpty {
            for a in p.assignments {
                let fronts = p.tasks.enumerated().map { t, task -> [Int] in
                    let c = p.slotCosts[p.slot[h][a[t]]][t]
                    return ExactSelection.nonDominated(task.table!.indices.map {
                        .init(index: $0, accuracy: task.table![$0], latency: c.cycles[$0], energy: c.energy[$0]) }).map(\.index)
                }
                for c0 in fronts[0] { for c1 in fronts[1] {
                    let o = p.evaluate(.init(hardware: h, assignment: a, cells: [c0, c1]))
                    if o.feasible { best = max(best, o.weightedAccuracy) }
                } }
            }
        }
        return best
    }
}

@Suite struct PolicyGradientTests {
    /// The controller is deterministic for a seed and learns: its later designs are feasible and
    /// accurate more often than its first ones (the policy alone: no recombination, no local
    /// search).
    @Test func controllerLearnsAndRepeats() throws {
        let p = try CoExplorationTests().problem()
        var plain = CoExploration.ControllerSettings()
        plain.aids.recombineEvery = 0
        plain.aids.localSearchFraction = 0
        var first: [Double] = [], again: [Double] = []
        p.policyGradient(budget: 1200, seed: 9, settings: plain) { _, o in first.append(o.feasible ? o.weightedAccuracy : 0) }
        p.policyGradient(budget: 1200, seed: 9, settings: plain) { _, o in again.append(o.feasible ? o.weightedAccuracy : 0) }
        #expect(first == again)
        let early = first.prefix(200).reduce(0, +) / 200, late = first.suffix(200).reduce(0, +) / 200
        var random: [Double] = []
        p.randomSearch(budget: 200, seed: 9) { _, o in random.append(o.feasible ? o.weightedAccuracy : 0) }
        let floor = random.reduce(0, +) / 200
        #expect(late > early, "early \(early), late \(late)")
        #expect(late > floor, "late \(late), random \(floor)")
    }
}

/// What one edge's operation costs on the Eyeriss-sized arrays of designs/nas/nb201-space-costs.yaml
/// (12×14 PEs, 108 KiB, 16 bytes a cycle, 28 nm): a cell whose only edge is input→output with
/// that operation, less the empty cell (five cells per stage, three stages). Printed for
/// docs/NAS.md ("Per-operation costs"); the pool is priced (not free) and cheaper than a 1×1
/// convolution, which is cheaper than a 3×3 one.
@Suite struct NB201OperationCostTests {
    @Test(arguments: [ASICDataflow.eyeriss, .nvdla, .shidiannao, .systolicOS])
    func perOperationCosts(dataflow: ASICDataflow) throws {
        let a = ASICAccelerator(dataflow: dataflow, rows: 12, columns: 14, bufferKiB: 108, dramBytesPerCycle: 16)
        func cost(_ op: NB201Cell.Operation) throws -> (cycles: Double, energy: Double) {
            let edges: [NB201Cell.Operation] = [.none, .none, .none, op, .none, .none]  // edge 3: node 0 → node 3
            let c = try NB201Network.asicCosts(of: [NB201Cell(edges: edges), NB201Cell(edges: Array(repeating: .none, count: 6))],
                                              dataset: .cifar10, deadOperations: .execute, on: a, technology: .nm28)
            return (c.cycles[0] - c.cycles[1], c.energy[0] - c.energy[1])
        }
        let c3 = try cost(.conv3x3), c1 = try cost(.conv1x1), pool = try cost(.avgPool3x3), skip = try cost(.skipConnect)
        print("NB201 \(dataflow.rawValue) 12x14: latency 3x3 : 1x1 : pool = 1 : \(c1.cycles / c3.cycles) : \(pool.cycles / c3.cycles); energy 1 : \(c1.energy / c3.energy) : \(pool.energy / c3.energy)")
        #expect(skip.cycles == 0 && skip.energy == 0)
        #expect(pool.cycles > 0 && pool.energy > 0)
        #expect(c3.cycles > c1.cycles && c1.cycles > pool.cycles, "\(dataflow)")
    }
}
