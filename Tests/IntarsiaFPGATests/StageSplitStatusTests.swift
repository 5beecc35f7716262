import Testing
import IntarsiaCore
@testable import IntarsiaFPGA

/// A stage split the stage balancer did not prove (it failed, or stopped at a limit) must show
/// in the design's `solverStatus`, on the fast path a search takes and on the recording path
/// `intarsia evaluate` takes, never "optimal" (issue 13 item 6). Balancers are stubs here, so
/// the failure is forced.
@Suite struct StageSplitStatusTests {
    let u280 = PlatformCatalog.u280

    /// A balancer that fails on every stage holding `failing` (a MAC task index; nil: on every
    /// stage), and proves the others with all lanes to each task (faster than any real split).
    static func balancer(failingOn failing: Int?, state: LaneSplitStatus.State = .fallback)
        -> @Sendable (FPGAModel, DesignPoint, [Int]) -> BalancedSplit {
        { m, p, stage in
            if failing.map({ stage.contains($0) }) ?? true {
                return state == .fallback ? BalancedSplit(lanes: nil, status: .fallback("forced failure"))
                    : BalancedSplit(lanes: nil, status: LaneSplitStatus(state: .feasible, method: "GLPK", gap: 0.0123, boundCycles: 1000,
                                                                        detail: "time limit reached"))
            }
            var lanes = [Double](repeating: 0, count: m.compiled.tasks.count)
            for t in stage where m.compiled.tasks[t].isMAC { lanes[t] = Double(p.lanes) }
            return BalancedSplit(lanes: lanes, status: LaneSplitStatus(state: .optimal, method: "test"))
        }
    }

    func point(units: Int) -> DesignPoint {
        DesignPoint(template: .reconfigurable, lanes: 512, computeUnits: units, scratchpadKiB: 8192)
    }

    func both(_ m: FPGAModel, _ p: DesignPoint) -> (fast: Evaluation, slow: Evaluation) {
        var recorder = BreakdownRecorder()
        return (m.evaluate(p), m.evaluate(p, recorder: &recorder))
    }

    @Test func aFailedStageSplitMakesTheDesignAFallback() throws {
        var model = FPGAModel(workload: try BuiltinWorkload.gpt2Block.make(), platform: u280)
        let plain = model
        model.stageBalancer = Self.balancer(failingOn: nil)
        let (fast, slow) = both(model, point(units: 4))
        for e in [fast, slow] {
            guard case .fallback(let reason) = e.solverStatus else { Issue.record("\(e.solverStatus.text)"); continue }
            #expect(reason.contains("the stage balancer failed on") && reason.contains("forced failure"), "\(reason)")
        }
        #expect(fast == slow)
        // Every balanced split failed, so only the proportional and uniform splits were there:
        // the same figures as without a balancer, only the status differs.
        var expected = plain.evaluate(point(units: 4))
        expected.solverStatus = fast.solverStatus
        #expect(fast == expected)
        #expect(plain.evaluate(point(units: 4)).solverStatus == .optimal)
    }

    @Test func anUnprovenStageSplitMakesTheDesignFeasible() throws {
        var model = FPGAModel(workload: try BuiltinWorkload.gpt2Block.make(), platform: u280)
        model.stageBalancer = Self.balancer(failingOn: nil, state: .feasible)
        let (fast, slow) = both(model, point(units: 4))
        #expect(fast.solverStatus == slow.solverStatus)
        #expect(fast.solverStatus.text.hasPrefix("feasible (no bound: "), "\(fast.solverStatus.text)")
        #expect(fast.solverStatus.text.contains("stage splits are not proven optimal (largest gap 1.23% of a stage's initiation interval)"))
    }

    /// One compute unit runs no stage of two MAC tasks: the balancer is never asked, and the
    /// design stays optimal; with a failure on one task only, stages without it are proven.
    @Test func onlyTheStagesAskedForCount() throws {
        var model = FPGAModel(workload: try BuiltinWorkload.gpt2Block.make(), platform: u280)
        model.stageBalancer = Self.balancer(failingOn: nil)
        let (fast, slow) = both(model, point(units: 1))
        #expect(fast.solverStatus == .optimal && slow.solverStatus == .optimal)
        let macs = model.compiled.tasks.indices.filter { model.compiled.tasks[$0].isMAC }
        model.stageBalancer = Self.balancer(failingOn: macs.last!)
        let status = model.evaluate(point(units: 2)).solverStatus
        guard case .fallback(let reason) = status else { Issue.record("\(status.text)"); return }
        // The stages with the last MAC task and one other: as many as the other MAC tasks it
        // may share a stage with, fewer than all the pairs asked for.
        #expect(reason.contains("failed on ") && !reason.contains("failed on 0 of"), "\(reason)")
        #expect(reason.contains(model.compiled.names[macs.last!]), "\(reason)")
    }

    /// A hand-written schedule's stages are split by the balancer too: a failure there is a
    /// fallback, not "given".
    @Test func aGivenScheduleWithAFailedSplitSaysSo() throws {
        let w = try BuiltinWorkload.mlp.make()
        let probe = FPGAModel(workload: w, platform: u280)
        let all = Array(probe.compiled.tasks.indices)
        var model = try FPGAModel(workload: w, platform: u280, reconfigurableSchedule: [all])
        #expect(model.evaluate(point(units: 8)).solverStatus == .given)
        model.stageBalancer = Self.balancer(failingOn: nil)
        let (fast, slow) = both(model, point(units: 8))
        for e in [fast, slow] {
            guard case .fallback = e.solverStatus else { Issue.record("\(e.solverStatus.text)"); continue }
        }
    }
}
