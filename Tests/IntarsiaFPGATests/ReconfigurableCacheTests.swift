import Testing
import IntarsiaCore
@testable import IntarsiaFPGA

/// The reconfigurable template's fast evaluation (cached topology and stage costs, a shortest
/// path over flat arrays) against the schedule-building path (a `ScheduleGraph` per point, its
/// shortest path turned into a `Schedule`, that schedule evaluated stage by stage): the same
/// figures, to the last bit, on every point of a grid, in any order and from any cache state.
@Suite struct ReconfigurableCacheTests {
    let u280 = PlatformCatalog.u280

    func grid() -> [DesignPoint] {
        var out: [DesignPoint] = []
        for lanes in [16, 96, 512, 4096] {
            for units in [1, 2, 3, 8] {
                for scratch in [0, 64, 8192] {
                    for load in WeightLoad.allCases {
                        for spill in SpillPolicy.allCases {
                            out.append(DesignPoint(template: .reconfigurable, lanes: lanes, computeUnits: units, scratchpadKiB: scratch,
                                                   weightLoad: load, spill: spill, streamElements: lanes == 96 ? 4 : 0))
                        }
                    }
                }
            }
        }
        return out
    }

    func expectSame(_ model: FPGAModel, _ points: [DesignPoint], _ label: String) {
        for p in points {
            var recorder = BreakdownRecorder()  // recording takes the schedule-building path
            let slow = model.evaluate(p, recorder: &recorder)
            let fast = model.evaluate(p)
            #expect(fast == slow, "\(label) \(p): fast \(fast.latencyCycles) slow \(slow.latencyCycles)")
            if !fast.violations.contains(.schedule) { #expect(fast.stages == recorder.stages.count) }  // unrunnable stages are not recorded
        }
    }

    @Test func bundledKernelsFastEqualsScheduleBuilding() throws {
        for b in [BuiltinWorkload.selfAttention, .mlp, .cnn4l, .vae, .gating, .gpt2Block, .vgg16] {
            let model = FPGAModel(workload: try b.make(), platform: u280)
            expectSame(model, grid(), b.rawValue)
        }
    }

    @Test(arguments: 0..<8)
    func randomGraphsFastEqualsScheduleBuildingInAnyOrder(seed: Int) throws {
        let w = try ScheduleTests().randomWorkload(seed: UInt64(500 + seed), tasks: 4 + seed)
        let model = FPGAModel(workload: w, platform: u280)
        var points = grid()
        var rng = Rng(UInt64(seed))
        for i in stride(from: points.count - 1, to: 0, by: -1) { points.swapAt(i, rng.below(i + 1)) }
        expectSame(model, points, "random \(seed)")
        expectSame(model.withEmptyCaches(), points.reversed(), "random \(seed) reversed")
    }

    @Test func contiguousSpaceCutsSegmentsThatDoNotFitAsBefore() throws {
        // MobileNetV2 has 99 tasks: past 64 the graph holds contiguous segments only.
        let model = FPGAModel(workload: try BuiltinWorkload.mobilenetV2.make(), platform: u280)
        expectSame(model, grid().filter { $0.lanes != 16 }, "mobilenetv2")
    }

    @Test func fixedScheduleFastEqualsBestAllocations() throws {
        let w = try BuiltinWorkload.gpt2Block.make()
        let stages = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11, 12, 13]]
        let model = try FPGAModel(workload: w, platform: u280, reconfigurableSchedule: stages)
        var none = NoRecorder()
        for p in grid() {
            let fixed = model.fixedReconfigurableSchedule!
            var slow = model.evaluate(p, schedule: model.bestAllocations(p, fixed), recorder: &none)
            slow.scheduleSpace = .given
            slow.solverStatus = .given
            #expect(model.evaluate(p) == slow, "\(p)")
        }
        expectSame(model, grid(), "fixed")
    }

    @Test func sequentialFromCachedStagesEqualsStageByStage() throws {
        for b in [BuiltinWorkload.selfAttention, .cnn4l, .gpt2Block, .vgg16, .mobilenetV2] {
            let model = FPGAModel(workload: try b.make(), platform: u280)
            var points = grid().map { p -> DesignPoint in
                var q = p
                q.template = .sequential
                q.computeUnits = 1
                return q
            }
            points += points.map { var q = $0; q.pipelined = false; q.flattenLoops = false; return q }
            expectSame(model, points, "sequential \(b.rawValue)")
        }
    }

    @Test func aStageBalancerJoinsTheCostsAndResetsTheCache() throws {
        var model = FPGAModel(workload: try BuiltinWorkload.gpt2Block.make(), platform: u280)
        let points = grid().filter { $0.computeUnits > 1 }
        _ = points.map { model.evaluate($0) }
        // A third split that gives every MAC task of a stage all the lanes: over budget, but always
        // the fastest, so it is chosen wherever a stage has several MAC tasks.
        let balancer: @Sendable (FPGAModel, DesignPoint, [Int]) -> BalancedSplit = { m, p, stage in
            let macs = stage.filter { m.compiled.tasks[$0].isMAC }
            var lanes = [Double](repeating: 0, count: m.compiled.tasks.count)
            for t in macs { lanes[t] = Double(p.lanes) }
            return BalancedSplit(lanes: lanes, status: LaneSplitStatus(state: .optimal, method: "test"))
        }
        model.stageBalancer = balancer
        expectSame(model, points, "balanced stages")
        // Both paths above read the same cache, so they would agree on stale costs too: the model
        // whose balancer came after evaluations must equal one that had it from the start, and
        // the balanced split must be chosen somewhere (else the balancer changed nothing). A
        // balancer replacing another is what the reset on `stageBalancer` guards (the cost key
        // already tells a model with a balancer from one without).
        var fresh = FPGAModel(workload: try BuiltinWorkload.gpt2Block.make(), platform: u280)
        fresh.stageBalancer = balancer
        var chosen = 0
        for p in points {
            #expect(model.evaluate(p) == fresh.evaluate(p), "\(p)")
            chosen += fresh.schedule(p).stages.filter { $0.allocation == .balanced }.count
        }
        #expect(chosen > 0)
    }
}
