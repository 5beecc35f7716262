import Foundation
import Testing
import IntarsiaCore
@testable import IntarsiaFPGA

/// Counts a balancer's calls across threads (the balancer is `@Sendable`).
final class BalancerCallCount: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}

/// `allocation: balanced` through the dataflow closed form: the lanes a balancer gives (and its
/// status) cost the stage exactly as the schedule path does, and the split is solved once per
/// point of the knobs it reads (`BalancedSplitCache`).
@Suite struct BalancedClosedFormTests {
    /// A balancer whose split depends on the point (lanes, word width, weight load, scratchpad):
    /// a different lane count per task, sometimes none (the proportional split stands in), with
    /// every status a balancer may give.
    static func balancer(_ calls: BalancerCallCount) -> @Sendable (FPGAModel, DesignPoint) -> BalancedSplit {
        { model, p in
            calls.add()
            let salt = p.lanes / 7 + p.wordBits / 32 + p.scratchpadKiB + (p.weightLoad == .blocking ? 3 : 0)
            if salt % 5 == 0 { return BalancedSplit(lanes: nil, status: .fallback("test: no split")) }
            let lanes = model.compiled.tasks.indices.map { Double(model.compiled.tasks[$0].isMAC ? 1 + (p.lanes * ($0 + salt)) % (p.lanes + 3) : 0) }
            let status = salt % 3 == 0 ? LaneSplitStatus(state: .feasible, method: "test", gap: 0.25, boundCycles: 10)
                : LaneSplitStatus(state: .optimal, method: "test")
            return BalancedSplit(lanes: lanes, status: status)
        }
    }

    func points() -> [DesignPoint] {
        var out: [DesignPoint] = []
        for lanes in [1, 16, 96, 432, 4096] {
            for load in WeightLoad.allCases {
                for words in [32, 512] {
                    for (stream, matVec) in [(0, MatVecMode.auto), (1, .outer), (16, .dot)] {
                        for scratch in [0, 1024] {
                            out.append(DesignPoint(template: .dataflow, lanes: lanes, allocation: .balanced, scratchpadKiB: scratch, weightLoad: load,
                                                   wordBits: words, streamElements: stream, matVec: matVec, writeWait: lanes == 96))
                        }
                    }
                }
            }
        }
        return out
    }

    @Test(arguments: [BuiltinWorkload.mlp, .gpt2Medium, .selfAttention, .cnn4l])
    func balancedClosedFormEqualsTheSchedulePath(_ b: BuiltinWorkload) throws {
        var model = FPGAModel(workload: try b.make(), platform: PlatformCatalog.u280)
        model.laneBalancer = Self.balancer(BalancerCallCount())
        var differing = 0
        var statuses = Set<String>()
        for p in points() {
            #expect(model.dataflowClosedFormApplies(p))
            var recorder = BreakdownRecorder()  // recording takes the schedule path
            let slow = model.evaluate(p, recorder: &recorder)
            let fast = model.evaluate(p)
            statuses.insert(fast.solverStatus.text)
            if fast != slow {
                differing += 1
                if differing <= 3 { Issue.record("\(b.rawValue) \(p): closed form \(fast) schedule path \(slow)") }
            }
        }
        #expect(differing == 0)
        // The three kinds of status reached the comparison (optimal, feasible, fallback).
        #expect(statuses.contains("optimal"))
        #expect(statuses.contains { $0.hasPrefix("feasible") })
        #expect(statuses.contains { $0.hasPrefix("fallback") })
    }

    /// Points that differ only in knobs the balancer does not read share one solve; a knob it
    /// reads (lanes, word width, weight load, loops, scratchpad) gets its own; an empty cache
    /// solves again; a new balancer starts an empty cache.
    @Test func oneSolvePerKnobsTheBalancerReads() throws {
        let calls = BalancerCallCount()
        var model = FPGAModel(workload: try BuiltinWorkload.mlp.make(), platform: PlatformCatalog.u280)
        model.laneBalancer = Self.balancer(calls)
        let base = DesignPoint(template: .dataflow, lanes: 512, allocation: .balanced)
        var variants: [DesignPoint] = []
        for spill in SpillPolicy.allCases {
            for units in [1, 4] {
                for (stream, matVec, wait) in [(0, MatVecMode.auto, false), (1, .outer, true), (16, .dot, false)] {
                    var q = base
                    q.spill = spill
                    q.computeUnits = units
                    q.streamElements = stream
                    q.matVec = matVec
                    q.writeWait = wait
                    variants.append(q)
                }
            }
        }
        let first = model.evaluate(base)
        var recorder = BreakdownRecorder()
        for q in variants {
            #expect(model.evaluate(q).laneSplit == first.laneSplit)
            #expect(model.evaluate(q) == model.evaluate(q, recorder: &recorder))
        }
        #expect(calls.value == 1)
        var changes: [DesignPoint] = []
        for edit in 0..<6 {
            var q = base
            switch edit {
            case 0: q.lanes = 256
            case 1: q.wordBits = 256
            case 2: q.weightLoad = .blocking
            case 3: q.flattenLoops = false
            case 4: q.pipelined = false
            default: q.scratchpadKiB = 0
            }
            changes.append(q)
        }
        for q in changes { _ = model.evaluate(q) }
        #expect(calls.value == 7)
        _ = model.withEmptyCaches().evaluate(base)
        #expect(calls.value == 8)
        model.laneBalancer = Self.balancer(calls)
        _ = model.evaluate(base)
        #expect(calls.value == 9)
    }
}
