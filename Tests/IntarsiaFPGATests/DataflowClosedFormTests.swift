import Testing
import IntarsiaCore
@testable import IntarsiaFPGA

/// The dataflow template's closed form (`evaluateDataflowFast`: the stage's fixed terms from
/// `DataflowPlan`, one loop over plain numbers) against the schedule path (the template's
/// `Schedule` costed by `StageModel.cost` task by task, taken when a recorder records): the same
/// evaluation, to the last bit, on every built-in workload, on random graphs with every kind of
/// edge, on two platforms (with and without URAM), over every value of every dataflow knob.
@Suite struct DataflowClosedFormTests {
    /// Every combination of the dataflow knobs' values below (6,912 points), or every `stride`-th.
    func grid(stride: Int = 1) -> [DesignPoint] {
        var out: [DesignPoint] = []
        var n = 0
        for lanes in [1, 16, 96, 432, 4096, 12288] {
            for allocation in [LaneAllocation.proportional, .uniform] {
                for load in WeightLoad.allCases {
                    for words in [32, 512, 1024] {
                        for (flatten, pipelined) in [(true, true), (false, true), (true, false), (false, false)] {
                            for stream in [0, 1, 16] {
                                for matVec in MatVecMode.allCases {
                                    for writeWait in [false, true] {
                                        defer { n += 1 }
                                        guard n % stride == 0 else { continue }
                                        out.append(DesignPoint(template: .dataflow, lanes: lanes, allocation: allocation, weightLoad: load,
                                                               flattenLoops: flatten, wordBits: words, pipelined: pipelined,
                                                               streamElements: stream, matVec: matVec, writeWait: writeWait))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    func expectSame(_ model: FPGAModel, _ points: [DesignPoint], _ label: String) {
        var differing = 0
        for p in points {
            #expect(model.dataflowClosedFormApplies(p))
            var recorder = BreakdownRecorder()  // recording takes the schedule path
            let slow = model.evaluate(p, recorder: &recorder)
            let fast = model.evaluate(p)
            if fast != slow {
                differing += 1
                if differing <= 3 { Issue.record("\(label) \(p): closed form \(fast) schedule path \(slow)") }
            }
        }
        #expect(differing == 0, "\(label): \(differing) of \(points.count) points differ")
    }

    @Test(arguments: BuiltinWorkload.allCases)
    func builtinWorkloadsEqualTheSchedulePath(_ b: BuiltinWorkload) throws {
        let w = try b.make()
        // The large networks on a sample of the grid (the schedule path is slow in a debug build).
        let stride = w.tasks.count > 40 ? 37 : 5
        expectSame(FPGAModel(workload: w, platform: PlatformCatalog.u280), grid(stride: stride), "\(b.rawValue) u280")
        expectSame(FPGAModel(workload: w, platform: PlatformCatalog.zcu102), grid(stride: stride * 3), "\(b.rawValue) zcu102")
    }

    /// Random graphs with streamed, barrier and `either` inputs, matrix-vector products (one
    /// row, so barriers may be outer-product accumulations), int4 weights and sinks anywhere.
    func randomWorkload(seed: UInt64, tasks n: Int) throws -> Workload {
        var rng = Rng(seed)
        var list: [(Task, [Workload.Input])] = []
        let kinds: [EdgeKind] = [.stream, .barrier, .either]
        for i in 0..<n {
            let m = [1, 1, 8, 256][rng.below(4)], k = [16, 64, 4096][rng.below(3)], cols = [16, 128, 1024][rng.below(3)]
            let task: Task = rng.below(4) == 0
                ? Task(name: "t\(i)", op: .activation(elements: m * cols, kind: ["relu", "gelu"][rng.below(2)]), dataType: .int16)
                : Task(name: "t\(i)", op: .matmul(m: m, k: k, n: cols, weightsOffChip: rng.below(3) != 0), dataType: .int8,
                       weightDataType: rng.below(2) == 0 ? .int4 : nil)
            var inputs: [Workload.Input] = []
            if i == 0 || rng.below(5) == 0 { inputs.append(.init("input", .stream)) }
            if i > 0 {
                inputs.append(.init("t\(rng.below(i))", kinds[rng.below(3)]))
                if i > 1 && rng.below(2) == 0 { inputs.append(.init("t\(rng.below(i - 1))", kinds[rng.below(3)])) }
            }
            list.append((task, Array(Set(inputs.map(\.from))).sorted().map { f in inputs.first { $0.from == f }! }))
        }
        return try Workload(name: "random\(seed)", tasks: list)
    }

    @Test(arguments: 0..<12)
    func randomGraphsEqualTheSchedulePath(seed: Int) throws {
        let w = try randomWorkload(seed: UInt64(900 + seed), tasks: 3 + seed)
        expectSame(FPGAModel(workload: w, platform: PlatformCatalog.u280), grid(stride: 7), "random \(seed) u280")
        expectSame(FPGAModel(workload: w, platform: PlatformCatalog.zcu102), grid(stride: 11), "random \(seed) zcu102")
    }

    /// A second pass over the same model, and points that differ only in knobs the dataflow
    /// stage does not read (scratchpad, spill, compute units), still equal their own schedule
    /// path (the model's caches of the other templates must not leak into the closed form).
    @Test func repeatedAndIrrelevantKnobsEqualTheSchedulePath() throws {
        let model = FPGAModel(workload: try BuiltinWorkload.gpt2Block.make(), platform: PlatformCatalog.u280)
        let points = grid(stride: 7)
        expectSame(model, points, "first pass")
        expectSame(model, points, "kept")
        let others = points.map { p in
            var q = p
            q.scratchpadKiB = 0
            q.spill = .always
            q.computeUnits = 5
            return q
        }
        expectSame(model, others, "other scratchpad, spill and units")
    }

    /// A balanced point takes the closed form too (its split solved once per key,
    /// `BalancedClosedFormTests`), as every allocation does.
    @Test func everyAllocationTakesTheClosedForm() throws {
        let model = FPGAModel(workload: try BuiltinWorkload.mlp.make(), platform: PlatformCatalog.u280)
        #expect(model.dataflowClosedFormApplies(DesignPoint(template: .dataflow, lanes: 512, allocation: .balanced)))
        #expect(model.dataflowClosedFormApplies(DesignPoint(template: .dataflow, lanes: 512, allocation: .uniform)))
    }
}
