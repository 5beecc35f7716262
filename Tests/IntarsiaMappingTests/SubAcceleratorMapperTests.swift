import Testing
import IntarsiaCore
import IntarsiaMapping

// The mapper's exact answers against brute force on small random problems (SplitMix64 draws them).
@Suite struct SubAcceleratorMapperTests {
    func randomProblem(_ seed: UInt64, jobs: Int, accelerators: Int, goal: SubAcceleratorMapper.Goal) -> SubAcceleratorMapper.Problem {
        var r = SplitMix64(seed: seed)
        let sizes = (0..<accelerators).map { a in
            [64, 256, 1024].map { SubAcceleratorMapper.Size(name: "pe\($0)", processingElements: $0, bandwidthGBps: Double($0) / 64) }
        }
        var latency: [[[Double]]] = [], energy: [[[Double]]] = []
        for _ in 0..<jobs {
            let work = Double(10_000 + r.below(1_000_000))
            latency.append((0..<accelerators).map { a in sizes[a].map { s in (work / Double(s.processingElements) * Double(1 + (a + r.below(3)) % 3)).rounded() } })
            energy.append((0..<accelerators).map { a in sizes[a].map { s in work * Double(1 + a) * (1 + Double(s.processingElements) / 4096) } })
        }
        return SubAcceleratorMapper.Problem(jobs: (0..<jobs).map { "n\($0)" }, accelerators: (0..<accelerators).map { "a\($0)" }, sizes: sizes,
                                            latency: latency, energy: energy, peBudget: 1400, bandwidthBudgetGBps: 22, goal: goal)
    }

    @Test(arguments: 0..<10)
    func networkMappingEqualsExhaustive(seed: Int) throws {
        for goal in [SubAcceleratorMapper.Goal.latency, .energy] {
            var p = randomProblem(UInt64(seed), jobs: 2 + seed % 4, accelerators: 2 + seed % 2, goal: goal)
            if goal == .energy { p.maxLatency = SubAcceleratorMapper.exhaustive(randomProblem(UInt64(seed), jobs: p.jobs.count, accelerators: p.accelerators.count, goal: .latency))!.latency * 1.5 }
            let exact = try SubAcceleratorMapper.solve(p)
            let brute = try #require(SubAcceleratorMapper.exhaustive(p))
            #expect(exact.status == .optimal)
            if goal == .latency {
                #expect(abs(exact.latency - brute.latency) <= 1e-6 * brute.latency, "seed \(seed)")
            } else {
                #expect(abs(exact.energy - brute.energy) <= 1e-6 * brute.energy, "seed \(seed)")
                #expect(exact.latency <= p.maxLatency! + 1e-6)
            }
            let pe = zip(exact.sizes, p.sizes).reduce(0) { $0 + $1.1[$1.0].processingElements }
            #expect(pe <= p.peBudget)
        }
    }

    func randomLayers(_ seed: UInt64, n: Int, accelerators: Int) -> SubAcceleratorMapper.LayerProblem {
        var r = SplitMix64(seed: seed)
        let preds = (0..<n).map { j in j == 0 ? [] : Array(Set((0..<(1 + r.below(2))).map { _ in r.below(j) })).sorted() }
        let lat = (0..<n).map { _ in (0..<accelerators).map { _ in Double(1 + r.below(20)) } }
        return SubAcceleratorMapper.LayerProblem(layers: (0..<n).map { "l\($0)" }, predecessors: preds, latency: lat, accelerators: accelerators)
    }

    @Test(arguments: 0..<10)
    func layerScheduleIsExactOnSmallGraphs(seed: Int) throws {
        let p = randomLayers(UInt64(seed), n: 3 + seed % 3, accelerators: 2)
        let s = try SubAcceleratorMapper.schedule(p)
        #expect(s.status == .optimal && s.method == "milp")
        #expect(abs(s.makespan - SubAcceleratorMapper.bruteForceMakespan(p)) < 1e-6, "seed \(seed)")
        // The schedule it returns is valid: precedence and one layer at a time per accelerator.
        for (j, ps) in p.predecessors.enumerated() {
            for q in ps { #expect(s.start[j] >= s.start[q] + p.latency[q][s.assignment[q]] - 1e-6) }
        }
        let heuristic = SubAcceleratorMapper.listSchedule(p)
        #expect(heuristic.makespan >= s.makespan - 1e-6)
        #expect(heuristic.method.contains("heuristic"))
    }

    @Test func largeLayerGraphsFallBackToTheListScheduler() throws {
        let p = randomLayers(9, n: 30, accelerators: 3)
        let s = try SubAcceleratorMapper.schedule(p)
        #expect(s.method == "list scheduler (heuristic)" && s.status == .feasible)
    }
}
