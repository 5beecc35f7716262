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

    /// With little memory left some stages' quickest split does not fit: those points take the
    /// pass that checks every split (`relax`), the others the one that reads the quickest cycles
    /// only (`relaxQuickest`); both must give the schedule-building path's figures, and the grid
    /// must reach both.
    @Test func tightMemoryTakesTheCheckingPassAndAgrees() throws {
        var k = Constraints()
        k.bramFraction = 0.12
        k.uramFraction = 0.1
        var checking = 0, quickest = 0
        for b in [BuiltinWorkload.gpt2Block, .cnn4l, .selfAttention] {
            let model = FPGAModel(workload: try b.make(), platform: u280, constraints: k)
            expectSame(model, grid(), "tight \(b.rawValue)")
            for p in grid() {
                let (_, table) = model.reconfigurableCache.lookup(model, p)
                let caps = model.stageMemoryLimits(p)
                if caps.bram >= table.quickestMemory.bram18k && caps.uram >= table.quickestMemory.uram { quickest += 1 } else { checking += 1 }
            }
        }
        #expect(checking > 0 && quickest > 0, "checking \(checking), quickest \(quickest)")
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

/// The stage-cost cache's key: derived from the whole point, so that a knob nobody listed cannot
/// go stale in it.
@Suite struct StageCostKeyTests {
    /// Every knob but the four a stage's cost does not read (compute units, scratchpad and spill
    /// without a balancer; the point's own allocation) changes the key, and so does any knob
    /// added later, until it is added to the exempt list here and in `StageCostKey`.
    @Test func costKeyCoversEveryKnob() {
        let base = DesignPoint(template: .reconfigurable, lanes: 512, computeUnits: 2, scratchpadKiB: 1024)
        let exempt: Set<Knob> = [.computeUnits, .scratchpadKiB, .spill, .allocation]
        for knob in Knob.allCases {
            // Another accepted value of the knob: the first of a few candidates that parses and differs.
            let other = ["1", "7", "64", "0", "true", "false", "blocking", "buffered", "outer", "dot", "always", "uniform", "1024"]
                .compactMap { knob.parse($0) }.first { $0 != base.value(of: knob) }
            guard let value = other else {
                Issue.record("no second value for \(knob.rawValue)")
                continue
            }
            var p = base
            p.set(knob, value)
            let differs = StageCostKey(p, balancer: false) != StageCostKey(base, balancer: false)
            #expect(differs != exempt.contains(knob), "\(knob.rawValue): key \(differs ? "changes" : "does not change")")
            // With a balancer the scratchpad prices the balanced split: it joins the key.
            let differsBalanced = StageCostKey(p, balancer: true) != StageCostKey(base, balancer: true)
            #expect(differsBalanced == (differs || knob == .scratchpadKiB), "\(knob.rawValue) with a balancer")
        }
        // The template joins the key only with a balancer (its memory budget reads the template's resources).
        var q = base
        q.template = .sequential
        #expect(StageCostKey(q, balancer: false) == StageCostKey(base, balancer: false))
        #expect(StageCostKey(q, balancer: true) != StageCostKey(base, balancer: true))
    }

    /// Stored fields of `DesignPoint` beyond the knobs (the template) are covered too: the key
    /// holds the whole point, so a field added to it is compared without being listed.
    @Test func keyHoldsEveryFieldOfThePoint() {
        let fields = Mirror(reflecting: DesignPoint(template: .reconfigurable, lanes: 1)).children.count
        // The knobs plus the template; a new field fails this count until the test above covers it.
        #expect(fields == Knob.allCases.count + 1)
    }
}

/// The uniform split is not costed when it gives every task the proportional split's lanes.
@Suite struct CoincidingSplitTests {
    /// Brute force over every pair and triple of GPT-2 block MAC tasks and a range of lanes: where
    /// `splitsCoincide` says so, both splits cost the same in every figure; it says so somewhere
    /// (the q, k and v projections have equal MACs) and not everywhere.
    @Test func coincidingSplitsCostTheSame() throws {
        let model = FPGAModel(workload: try BuiltinWorkload.gpt2Block.make(), platform: PlatformCatalog.u280)
        let w = model.compiled
        let macs = w.tasks.indices.filter { w.tasks[$0].isMAC }
        var stages: [[Int]] = []
        for a in macs { for b in macs where b > a { stages.append([a, b]); for c in macs where c > b { stages.append([a, b, c]) } } }
        var same = 0, differ = 0
        var none = NoRecorder()
        for stage in stages {
            for lanes in [7, 64, 96, 512, 1000, 4096] {
                let p = DesignPoint(template: .reconfigurable, lanes: lanes, computeUnits: 8)
                let env = model.platformEnvironment.with(p)
                let cost = { (a: LaneAllocation) in
                    StageModel.cost(w, stage, lanes: lanes, maxUnits: 8, allocation: a, env: env, stageIndex: 0, recorder: &none)!
                }
                let x = cost(.proportional), y = cost(.uniform)
                let equal = x.cycles == y.cycles && x.offChipBytes == y.offChipBytes && x.bram18k == y.bram18k && x.uram == y.uram
                    && x.energyPicojoules == y.energyPicojoules && x.macDSP == y.macDSP && x.macLUT == y.macLUT && x.bufferBytes == y.bufferBytes
                if StageCostTable.splitsCoincide(w, stage, lanes: lanes) {
                    #expect(equal, "\(stage) at \(lanes) lanes")
                    same += 1
                } else {
                    differ += 1
                }
            }
        }
        #expect(same > 0 && differ > 0, "coinciding \(same), differing \(differ)")
    }
}
