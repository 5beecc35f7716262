import Testing
import IntarsiaCore
@testable import IntarsiaFPGA

/// The schedule graph reduced by interchangeable branches (`BranchSymmetry`) against the whole
/// graph: the same optimum on every point of a grid, schedules that are valid and evaluate to
/// the path's cost, and no reduction where there is no symmetry.
@Suite struct BranchSymmetryTests {
    let u280 = PlatformCatalog.u280

    /// `heads` attention heads (qk → softmax → sv) on small shapes, with shared Q/K/V projections
    /// and an output projection when `projections`, else each head reading the input alone.
    static func heads(_ heads: Int, projections: Bool, length l: Int = 32, width dh: Int = 16) throws -> Workload {
        let d = heads * dh
        var list: [(Task, [Workload.Input])] = []
        if projections {
            for n in ["q", "k", "v"] {
                list.append((Task(name: n, op: .matmul(m: l, k: d, n: d, weightsOffChip: true), dataType: .int8), [.init("input", .stream)]))
            }
        }
        for h in 0..<heads {
            let q: [Workload.Input] = projections ? [.init("q", .stream), .init("k", .either)] : [.init("input", .stream)]
            let v: [Workload.Input] = projections ? [.init("v", .either)] : []
            list.append((Task(name: "qk\(h)", op: .matmul(m: l, k: dh, n: l, weightsOffChip: !projections), dataType: .int8), q))
            list.append((Task(name: "softmax\(h)", op: .softmax(rows: l, cols: l), dataType: .int8), [.init("qk\(h)", .stream)]))
            list.append((Task(name: "sv\(h)", op: .matmul(m: l, k: l, n: dh, weightsOffChip: !projections), dataType: .int8),
                         [.init("softmax\(h)", .stream)] + v))
        }
        if projections {
            list.append((Task(name: "o", op: .matmul(m: l, k: d, n: d, weightsOffChip: true), dataType: .int8),
                         (0..<heads).map { .init("sv\($0)", .stream) }))
        }
        return try Workload(name: "heads\(heads)", tasks: list)
    }

    func grid() -> [DesignPoint] {
        var out: [DesignPoint] = []
        for lanes in [16, 256, 4096] {
            for units in [1, 2, 3, 5] {
                for scratch in [0, 16, 8192] {
                    for spill in SpillPolicy.allCases {
                        out.append(DesignPoint(template: .reconfigurable, lanes: lanes, computeUnits: units, scratchpadKiB: scratch, spill: spill))
                    }
                }
            }
        }
        return out
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(abs(a), abs(b)) }

    @Test func bertHeadsAreOneGroupOfTwelveChains() throws {
        let w = CompiledWorkload(try BuiltinWorkload.bertBase.make(), platform: u280)
        let preds = w.tasks.map { t in (t.predecessorStart..<(t.predecessorStart + t.predecessorCount)).map { w.predecessorTask[$0] } }
        let s = try #require(BranchSymmetry.detect(w, preds: preds))
        #expect(s.groups.count == 1)
        #expect(s.groups[0].map { $0.map { w.names[$0] } } == (0..<12).map { ["qk\($0)", "softmax\($0)", "sv\($0)"] })
    }

    @Test func noSymmetryNoReduction() throws {
        for b in [BuiltinWorkload.selfAttention, .gpt2Block, .cnn4l, .vae, .gating, .mlp] {
            let w = CompiledWorkload(try b.make(), platform: u280)
            let preds = w.tasks.map { t in (t.predecessorStart..<(t.predecessorStart + t.predecessorCount)).map { w.predecessorTask[$0] } }
            #expect(BranchSymmetry.detect(w, preds: preds) == nil, "\(b)")
        }
        // A graph whose equal-looking branches are told apart by an edge kind is not reduced.
        var w = try Self.heads(3, projections: false)
        w = try Workload(name: "skewed", tasks: w.tasks.enumerated().map { i, t in
            (t, w.operands[i].map { o in o == Workload.graphInput ? .init("input", .stream) : .init(w.tasks[o].name, i == 7 ? .barrier : .stream) })
        })
        let c = CompiledWorkload(w, platform: u280)
        let preds = c.tasks.map { t in (t.predecessorStart..<(t.predecessorStart + t.predecessorCount)).map { c.predecessorTask[$0] } }
        let s = BranchSymmetry.detect(c, preds: preds)
        #expect(s == nil || s!.groups.allSatisfy { $0.count == 2 && !$0.joined().contains(7) })
    }

    /// The reduced graph's shortest path costs what the whole graph's does; the path unfolded is
    /// a valid schedule whose evaluation is that cost; the fast evaluation agrees.
    @Test(arguments: [(2, false), (3, false), (3, true), (4, true)])
    func reducedOptimumEqualsWholeGraph(heads: Int, projections: Bool) throws {
        let w = try Self.heads(heads, projections: projections)
        let model = FPGAModel(workload: w, platform: u280)
        for p in grid() {
            let reduced = ScheduleGraph.build(model, p, maxArcs: 1_000_000)
            let whole = ScheduleGraph.build(model, p, maxArcs: 1_000_000, reduceSymmetry: false)
            #expect(reduced.space == .general && whole.space == .general)
            #expect(reduced.symmetry != nil && whole.symmetry == nil)
            #expect(reduced.nodes.count < whole.nodes.count && reduced.arcs.count < whole.arcs.count)
            let a = try #require(reduced.shortestPath()), b = try #require(whole.shortestPath())
            let ca = a.reduce(0) { $0 + $1.cost }, cb = b.reduce(0) { $0 + $1.cost }
            #expect(Self.close(ca, cb), "\(heads) heads \(p): reduced \(ca) whole \(cb)")
            let schedule = reduced.schedule(model, a)  // traps if the unfolded stages are not a schedule
            var none = NoRecorder()
            let e = model.evaluate(p, schedule: schedule, recorder: &none)
            #expect(Self.close(e.latencyCycles, ca), "\(heads) heads \(p): evaluated \(e.latencyCycles) path \(ca)")
            #expect(Set(schedule.stages.flatMap(\.tasks)).count == w.tasks.count)
        }
    }

    @Test func fastEvaluationMatchesTheUnfoldedSchedule() throws {
        let model = FPGAModel(workload: try Self.heads(4, projections: true), platform: u280)
        for p in grid() {
            var recorder = BreakdownRecorder()
            let slow = model.evaluate(p, recorder: &recorder)
            let fast = model.evaluate(p)
            #expect(Self.close(fast.latencyCycles, slow.latencyCycles) && Self.close(fast.energyMJ, slow.energyMJ), "\(p)")
            #expect(fast.stages == recorder.stages.count && fast.dsp == slow.dsp)
        }
    }
}
