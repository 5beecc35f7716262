import Testing
import IntarsiaCore
@testable import IntarsiaFPGA

@Suite struct ScheduleTests {
    let u280 = PlatformCatalog.u280

    /// A random DAG of matmuls and activations, edges forward only, some streamed, some barriers.
    func randomWorkload(seed: UInt64, tasks n: Int) throws -> Workload {
        var rng = Rng(seed)
        var list: [(Task, [Workload.Input])] = []
        for i in 0..<n {
            let name = "t\(i)"
            let m = [1, 8, 64, 256][rng.below(4)], k = [16, 64, 512][rng.below(3)], cols = [16, 128, 1024][rng.below(3)]
            let task: Task = rng.below(4) == 0
                ? Task(name: name, op: .activation(elements: m * cols, kind: "relu"), dataType: .int16)
                : Task(name: name, op: .matmul(m: m, k: k, n: cols, weightsOffChip: rng.below(2) == 0), dataType: .int16)
            var inputs: [Workload.Input] = []
            if i == 0 || rng.below(5) == 0 { inputs.append(.init("input", .stream)) }
            if i > 0 {
                inputs.append(.init("t\(rng.below(i))", rng.below(2) == 0 ? .stream : .barrier))
                if i > 1 && rng.below(3) == 0 { inputs.append(.init("t\(rng.below(i - 1))", .barrier)) }
            }
            list.append((task, Array(Set(inputs.map(\.from))).sorted().map { f in inputs.first { $0.from == f }! }))
        }
        return try Workload(name: "random\(seed)", tasks: list)
    }

    /// Every contiguous partition of 0..<n, by brute force.
    func partitions(_ n: Int) -> [[[Int]]] {
        (0..<(1 << max(n - 1, 0))).map { mask in
            var groups: [[Int]] = [[0]]
            for i in 1..<max(n, 1) {
                if mask & (1 << (i - 1)) != 0 { groups.append([i]) } else { groups[groups.count - 1].append(i) }
            }
            return n == 0 ? [] : groups
        }
    }

    /// The schedule graph holds every contiguous partition, so its optimum is no worse than the
    /// best of them (found by brute force); equality with exhaustive enumeration of all
    /// schedules is checked in the scheduler's tests.
    @Test(arguments: 0..<12)
    func scheduleGraphBeatsEveryContiguousPartition(seed: Int) throws {
        let w = try randomWorkload(seed: UInt64(seed), tasks: 3 + seed % 5)
        let model = FPGAModel(workload: w, platform: u280)
        for units in [1, 2, 3] {
            let p = DesignPoint(template: .reconfigurable, lanes: 64, computeUnits: units, scratchpadKiB: 64)
            var best = Double.infinity
            var none = NoRecorder()
            for groups in partitions(w.tasks.count) {
                let s = model.bestAllocations(p, try Schedule(model.compiled, stages: groups))
                let e = model.evaluate(p, schedule: s, recorder: &none)
                guard !e.violations.contains(.schedule), !e.violations.contains(.bram), !e.violations.contains(.uram) else { continue }
                best = min(best, e.latencyCycles)
            }
            let dp = model.evaluate(p).latencyCycles
            #expect(dp <= best * (1 + 1e-9), "seed \(seed) units \(units): graph \(dp) brute force \(best)")
            // Built over contiguous segments only, the graph finds exactly that best partition.
            let g = ScheduleGraph.contiguous(model, p)
            let c = g.shortestPath()!.reduce(0) { $0 + $1.cost }
            #expect(abs(c - best) < 1e-6 * best, "seed \(seed) units \(units): contiguous \(c) brute force \(best)")
        }
    }

    @Test(arguments: 0..<16)
    func reconfigurableIsNeverSlowerThanDataflowOrSequential(seed: Int) throws {
        let w = try randomWorkload(seed: UInt64(100 + seed), tasks: 2 + seed % 7)
        let model = FPGAModel(workload: w, platform: u280)
        for lanes in [16, 96, 512] {
            for load in WeightLoad.allCases {
                for spill in SpillPolicy.allCases {
                    let seq = model.evaluate(DesignPoint(template: .sequential, lanes: lanes, scratchpadKiB: 256, weightLoad: load, spill: spill))
                    let re1 = model.evaluate(DesignPoint(template: .reconfigurable, lanes: lanes, computeUnits: 1, scratchpadKiB: 256, weightLoad: load, spill: spill))
                    #expect(re1.latencyCycles <= seq.latencyCycles * (1 + 1e-12))
                    for a in LaneAllocation.allCases {
                        let df = model.evaluate(DesignPoint(template: .dataflow, lanes: lanes, allocation: a, weightLoad: load))
                        let re = model.evaluate(DesignPoint(template: .reconfigurable, lanes: lanes, computeUnits: max(1, w.macTaskCount),
                                                            scratchpadKiB: 0, weightLoad: load, spill: spill))
                        #expect(re.latencyCycles <= df.latencyCycles * (1 + 1e-12), "seed \(seed) lanes \(lanes) \(load) \(a)")
                    }
                }
            }
        }
    }

    @Test func liveTensorsAtBoundariesAreThoseStillNeeded() throws {
        let w = try BuiltinWorkload.selfAttention.make()
        let model = FPGAModel(workload: w, platform: u280)
        // q, k, v | qk softmax sv: at the boundary Q, K and V are alive (3 × 256×1024 int16).
        let s = try Schedule(model.compiled, stages: [[0, 1, 2], [3, 4, 5]])
        #expect(s.stages[1].liveTensorsBefore == [0, 1, 2])
        #expect(s.stages[1].liveBytesBefore == 3 * 256 * 1024 * 2)
        // The contiguous-boundary table the dynamic program uses agrees.
        #expect(model.compiled.liveBytesAtBoundary[3] == s.stages[1].liveBytesBefore)
    }

    @Test func invalidSchedulesAreRejected() throws {
        let model = FPGAModel(workload: try BuiltinWorkload.mlp.make(), platform: u280)
        #expect(throws: Schedule.Invalid.self) { try Schedule(model.compiled, stages: [[1], [0, 2, 3, 4, 5]]) }  // relu1 before fc1
        #expect(throws: Schedule.Invalid.self) { try Schedule(model.compiled, stages: [[0, 1, 2], [3, 4]]) }    // relu3 missing
        #expect(throws: Schedule.Invalid.self) { try Schedule(model.compiled, stages: [[0, 1, 2], [2, 3, 4, 5]]) }
    }

    @Test func handWrittenScheduleIsFollowed() throws {
        let w = try BuiltinWorkload.selfAttention.make()
        let fixed = try FPGAModel(workload: w, platform: u280, reconfigurableSchedule: [[0], [1], [2], [3, 4, 5]])
        let p = DesignPoint(template: .reconfigurable, lanes: 64, computeUnits: 2)
        var r = BreakdownRecorder()
        let e = fixed.evaluate(p, recorder: &r)
        #expect(r.stages.map(\.tasks) == [["q_proj"], ["k_proj"], ["v_proj"], ["qk", "softmax", "sv"]])
        #expect(r.stages.map(\.pattern) == ["split", "split", "split", "pipeline"])
        // The chosen schedule is at least as fast as the hand-written one.
        #expect(FPGAModel(workload: w, platform: u280).evaluate(p).latencyCycles <= e.latencyCycles)
    }
}

/// SplitMix64, local to the tests.
struct Rng {
    var s: UInt64
    init(_ seed: UInt64) { s = seed &+ 0x1234_5678 }
    mutating func below(_ n: Int) -> Int {
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(n))
    }
}

/// A plugged-in scheduler that fails is reported, not swallowed: the shortest path stands in and
/// the design's status carries the failure's text.
@Suite struct SchedulerFailureTests {
    struct NumericalTrouble: Error, CustomStringConvertible {
        var description: String { "no schedule: GLPK reports numerical trouble" }
    }

    @Test func aFailingSchedulerFallsBackWithItsReason() throws {
        let w = try BuiltinWorkload.mlp.make()
        let plain = FPGAModel(workload: w, platform: PlatformCatalog.u280)
        var failing = plain
        failing.reconfigurableScheduler = { _, _ in throw NumericalTrouble() }
        let p = DesignPoint(template: .reconfigurable, lanes: 64, computeUnits: 2, scratchpadKiB: 1024)
        let e = failing.evaluate(p)
        #expect(e.solverStatus == .fallback(reason: "no schedule: GLPK reports numerical trouble"))
        #expect(e.solverStatus.text == "fallback: no schedule: GLPK reports numerical trouble")
        // The stand-in is the built-in shortest path: the same figures as the model without a scheduler.
        #expect(e.latencyCycles == plain.evaluate(p).latencyCycles)
        #expect(plain.evaluate(p).solverStatus == .optimal)
    }
}
