import Foundation
import Testing
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaSpec
@testable import IntarsiaDriver

/// The spec's solving model (`search.balance_stages`, `search.scheduler`) reports a stage split
/// the balancer did not prove in the design's `solver_status`, for both schedulers; before, the
/// dp path said "optimal" and the GLPK path "feasible (no bound)" without the reason.
@Suite struct StageSplitStatusDriverTests {
    static func spec(scheduler: String) throws -> DesignSpec {
        let text = try String(contentsOfFile: "designs/intar/mlp-u280.yaml", encoding: .utf8)
            .replacingOccurrences(of: "  seed: 1\n", with: "  seed: 1\n  balance_stages: true\n  scheduler: \(scheduler)\n")
        return try DesignSpec.parse(text: text, file: "mlp-u280.yaml")
    }

    @Test(arguments: ["dp", "glpk"])
    func aFailedStageSplitShowsInTheRow(scheduler: String) throws {
        let spec = try Self.spec(scheduler: scheduler)
        #expect(spec.search.balanceStages)
        var model = spec.solvingModel
        let p = DesignPoint(template: .reconfigurable, lanes: 256, computeUnits: 3, scratchpadKiB: 8192)
        #expect(model.evaluate(p).solverStatus == .optimal, "the real balancer proves these splits")
        model.stageBalancer = { _, _, _ in BalancedSplit(lanes: nil, status: .fallback("forced failure")) }
        var recorder = BreakdownRecorder()
        for e in [model.evaluate(p), model.evaluate(p, recorder: &recorder)] {
            #expect(e.solverStatus.text.hasPrefix("fallback: the stage balancer failed on "), "\(e.solverStatus.text)")
            #expect(e.solverStatus.text.contains("forced failure"))
        }
        model.stageBalancer = { _, _, _ in
            BalancedSplit(lanes: nil, status: LaneSplitStatus(state: .feasible, method: "GLPK", gap: 0.02, boundCycles: 10, detail: "time limit reached"))
        }
        let text = model.evaluate(p).solverStatus.text
        #expect(text.hasPrefix("feasible (no bound: ") && text.contains("not proven optimal (largest gap 2.00%"), "\(text)")
    }
}
