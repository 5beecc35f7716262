import Foundation
import Testing
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaGLPK
@testable import IntarsiaScheduler

@Suite struct ReconfigurationSchedulerTests {
    let u280 = PlatformCatalog.u280

    /// A random DAG of matmuls and special-function tasks; forward edges, some streamed, some
    /// barriers, some `either`.
    static func randomWorkload(seed: UInt64, tasks n: Int, chain: Bool = false) throws -> Workload {
        var s = seed &+ 0x5EED
        func below(_ k: Int) -> Int {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Int((s >> 33) % UInt64(k))
        }
        var list: [(Task, [Workload.Input])] = []
        for i in 0..<n {
            let m = [1, 16, 128][below(3)], k = [32, 256, 1024][below(3)], cols = [16, 256, 2048][below(3)]
            let task = below(4) == 0
                ? Task(name: "t\(i)", op: .activation(elements: m * cols, kind: "relu"), dataType: .int16)
                : Task(name: "t\(i)", op: .matmul(m: m, k: k, n: cols, weightsOffChip: below(2) == 0), dataType: .int16)
            var inputs: [Workload.Input] = []
            if chain {
                inputs = i == 0 ? [.init("input", .stream)] : [.init("t\(i - 1)", [EdgeKind.stream, .barrier][below(2)])]
            } else {
                if i == 0 || below(4) == 0 { inputs.append(.init("input", .stream)) }
                if i > 0 {
                    inputs.append(.init("t\(below(i))", [EdgeKind.stream, .barrier, .either][below(3)]))
                    if i > 2 && below(2) == 0 {
                        let other = "t\(below(i))"
                        if !inputs.contains(where: { $0.from == other }) { inputs.append(.init(other, .either)) }
                    }
                }
            }
            list.append((task, inputs))
        }
        return try Workload(name: "random\(seed)", tasks: list)
    }

    func options(_ solver: ReconfigurationScheduler.Solver, budget: Double? = nil) -> ReconfigurationScheduler.Options {
        var o = ReconfigurationScheduler.Options()
        o.solver = solver
        o.maxOffChipBytes = budget
        return o
    }

    /// The 0-1 program, the dynamic program and exhaustive enumeration of every schedule reach
    /// the same latency on many small random task graphs, unit counts and budgets.
    @Test(arguments: 0..<16)
    func milpEqualsExhaustiveAndDynamicProgram(seed: Int) throws {
        let w = try Self.randomWorkload(seed: UInt64(seed), tasks: 3 + seed % 5)
        let model = FPGAModel(workload: w, platform: u280)
        for units in [1, 2, 3] {
            for (lanes, scratch, spill) in [(64, 0, SpillPolicy.overflow), (512, 256, .overflow), (128, 64, .always)] {
                let p = DesignPoint(template: .reconfigurable, lanes: lanes, computeUnits: units, scratchpadKiB: scratch, spill: spill)
                let milp = try ReconfigurationScheduler.solve(model, p, options: options(.glpk))
                let dp = try ReconfigurationScheduler.solve(model, p, options: options(.dp))
                let all = try ReconfigurationScheduler.solve(model, p, options: options(.exhaustive))
                #expect(milp.status == .optimal)
                let tag = "seed \(seed) units \(units) lanes \(lanes)"
                #expect(abs(milp.cycles - all.cycles) <= 1e-6 * all.cycles, "\(tag): milp \(milp.cycles) exhaustive \(all.cycles)")
                #expect(abs(dp.cycles - all.cycles) <= 1e-6 * all.cycles, "\(tag): dp \(dp.cycles) exhaustive \(all.cycles)")
                // The objective is the evaluated latency of the schedule it returns.
                var none = NoRecorder()
                let e = model.evaluate(p, schedule: milp.schedule, recorder: &none)
                #expect(abs(e.latencyCycles - milp.cycles) <= 1e-6 * milp.cycles, "\(tag)")
            }
        }
    }

    /// With an off-chip budget (a side constraint the dynamic program cannot take) the 0-1
    /// program still matches exhaustive enumeration.
    @Test(arguments: 0..<8)
    func offChipBudgetMatchesExhaustive(seed: Int) throws {
        let w = try Self.randomWorkload(seed: UInt64(50 + seed), tasks: 4 + seed % 3)
        let model = FPGAModel(workload: w, platform: u280)
        let p = DesignPoint(template: .reconfigurable, lanes: 256, computeUnits: 2, scratchpadKiB: 16)
        let free = try ReconfigurationScheduler.solve(model, p, options: options(.glpk))
        let budget = free.offChipBytes * 0.999
        let a = try? ReconfigurationScheduler.solve(model, p, options: options(.glpk, budget: budget))
        let b = try? ReconfigurationScheduler.solve(model, p, options: options(.exhaustive, budget: budget))
        #expect((a == nil) == (b == nil), "seed \(seed)")
        if let a, let b {
            #expect(abs(a.cycles - b.cycles) <= 1e-6 * b.cycles)
            #expect(a.offChipBytes <= budget * (1 + 1e-9))
        }
        #expect(throws: ReconfigurationScheduler.NoSchedule.self) { try ReconfigurationScheduler.solve(model, p, options: options(.dp, budget: budget)) }
    }

    @Test func anImpossibleBudgetNamesTheBindingConstraint() throws {
        let model = FPGAModel(workload: try BuiltinWorkload.mlp.make(), platform: u280)
        let p = DesignPoint(template: .reconfigurable, lanes: 64, computeUnits: 2)
        do {
            _ = try ReconfigurationScheduler.solve(model, p, options: options(.glpk, budget: 1000))
            Issue.record("an impossible budget was met")
        } catch let e as ReconfigurationScheduler.NoSchedule {
            #expect(e.description.contains("offchip_bytes <= 1000"))
            #expect(e.description.contains("the least any schedule moves is 5768"))  // the weights: 5,767,168 B, and more
        }
    }

    /// On chains the schedule graph is the chain of prefixes, and a textbook dynamic program over
    /// segment end points (written here from scratch) gives the same optimum as the 0-1 program.
    @Test(arguments: 0..<10)
    func chainsMatchASegmentDynamicProgram(seed: Int) throws {
        let w = try Self.randomWorkload(seed: UInt64(200 + seed), tasks: 5 + seed % 6, chain: true)
        let model = FPGAModel(workload: w, platform: u280)
        let p = DesignPoint(template: .reconfigurable, lanes: 256, computeUnits: 2, scratchpadKiB: 32)
        let milp = try ReconfigurationScheduler.solve(model, p, options: options(.glpk))
        let n = w.tasks.count
        var best = [Double](repeating: .infinity, count: n + 1)
        best[0] = 0
        var none = NoRecorder()
        for j in 1...n {
            for i in 0..<j where best[i].isFinite {
                guard let s = try? Schedule(model.compiled, stages: [Array(i..<j)]) else { continue }
                guard let fitted = model.fittingAllocations(p, s) else { continue }
                // One stage alone, plus what spills at its start boundary.
                var stageOnly = p
                stageOnly.scratchpadKiB = p.scratchpadKiB
                let stageCycles = model.evaluate(stageOnly, schedule: fitted, recorder: &none).latencyCycles
                let live = model.compiled.liveBytesAtBoundary[i]
                let spill = i == 0 ? 0 : spillCycles(live, p)
                if fitted.stages[0].tasks.count > 0 { best[j] = min(best[j], best[i] + spill + stageCycles) }
            }
        }
        #expect(abs(milp.cycles - best[n]) <= 1e-6 * best[n], "seed \(seed): milp \(milp.cycles) dp \(best[n])")
    }

    /// Spill before a stage as docs/MODEL.md states it: what exceeds the scratchpad goes out and
    /// back at the memory's bandwidth, plus two burst latencies.
    func spillCycles(_ live: Double, _ p: DesignPoint) -> Double {
        let out = max(0, live - Double(p.scratchpadKiB) * 1024)
        guard out > 0 else { return 0 }
        let channel = 460e9 / 32 / 300e6
        let total = min(32 * channel, 32 * Double(p.wordBits) / 8)
        return 2 * out / total + 2 * 64
    }

    @Test func emittedModelResolvesWithGlpsol() throws {
        let model = FPGAModel(workload: try BuiltinWorkload.selfAttention.make(), platform: u280)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sched-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var o = options(.glpk)
        o.lpPath = dir.appendingPathComponent("sa.lp").path
        let s = try ReconfigurationScheduler.solve(model, DesignPoint(template: .reconfigurable, lanes: 32, computeUnits: 2), options: o)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/glpsol")
        p.arguments = ["--lp", o.lpPath!, "-o", dir.appendingPathComponent("out.txt").path]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let text = try String(contentsOfFile: dir.appendingPathComponent("out.txt").path, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("Objective:") })
        let value = try #require(line.split(separator: " ").compactMap { Double($0) }.first)
        #expect(abs(value - s.cycles) <= 1e-6 * s.cycles)
    }
}

@Suite struct BalancedStagesTests {
    /// With the stage balancer offering a third split for pipelined stages, the three solvers
    /// still agree, and the optimum is never worse than without it.
    @Test(arguments: 0..<6)
    func balancedStagesKeepTheSolversInAgreement(seed: Int) throws {
        let w = try ReconfigurationSchedulerTests.randomWorkload(seed: UInt64(300 + seed), tasks: 4 + seed % 3)
        let model = FPGAModel(workload: w, platform: PlatformCatalog.u280)
        let p = DesignPoint(template: .reconfigurable, lanes: 256, computeUnits: 3, scratchpadKiB: 64)
        func solve(_ s: ReconfigurationScheduler.Solver, _ balance: Bool) throws -> Double {
            var o = ReconfigurationScheduler.Options()
            o.solver = s
            o.balanceStages = balance
            return try ReconfigurationScheduler.solve(model, p, options: o).cycles
        }
        let glpk = try solve(.glpk, true), dp = try solve(.dp, true), all = try solve(.exhaustive, true)
        #expect(abs(glpk - all) <= 1e-6 * all && abs(dp - all) <= 1e-6 * all, "seed \(seed): \(glpk) \(dp) \(all)")
        let unbalanced = try solve(.glpk, false)
        #expect(glpk <= unbalanced * (1 + 1e-12))
    }
}
