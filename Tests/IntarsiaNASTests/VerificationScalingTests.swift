import Foundation
import Testing
import IntarsiaNAS

/// The figures a verification round searches on (`MeasuredFigures.withVerifiedCells`): measured
/// where measured, elsewhere the prediction scaled per figure by the smallest ratio of measured to
/// predicted. Figures worked out by hand.
struct VerificationScalingTests {
    @Test func unmeasuredPredictionsAreScaledByTheSmallestMeasuredRatio() {
        // Predicted: 10, 20, 40 ms; 1, 2, 4 mJ. Measured: cell 0 at 12 ms and 0.9 mJ (ratios 1.2
        // and 0.9), cell 1 at 18 ms and 2.2 mJ (0.9 and 1.1). Smallest ratios: 0.9 and 0.9, so
        // cell 2 is priced at 36 ms and 3.6 mJ.
        let measured: [Int: MeasurementVerification.Measured] = [0: .figures(latencyMs: 12, energyMJ: 0.9, memoryKB: nil),
                                                                 1: .figures(latencyMs: 18, energyMJ: 2.2, memoryKB: nil)]
        let v = MeasurementVerification(source: "hand", designs: 5) { measured[$0] ?? .failed("not measured") }
        let f = MeasuredFigures(kind: .predictor, source: "hand", latencyMs: [10, 20, 40], energyMJ: [1, 2, 4], memoryKB: nil).verified(by: v)
        // Nothing measured yet: the predictions as they are.
        #expect(f.withVerifiedCells().latencyMs == [10, 20, 40])
        v.measure(0)
        v.measure(1)
        let g = f.withVerifiedCells()
        #expect(g.latencyMs[0] == 12 && g.latencyMs[1] == 18 && abs(g.latencyMs[2] - 36) < 1e-12)
        #expect(g.energyMJ![0] == 0.9 && g.energyMJ![1] == 2.2 && abs(g.energyMJ![2] - 3.6) < 1e-12)
        #expect(g.verifiedArchitectures == [0, 1])
        // A failed measurement is a failed evaluation and gives no ratio.
        v.measure(2)
        let h = f.withVerifiedCells()
        #expect(h.failed[2] != nil && abs(h.energyMJ![2] - 3.6) < 1e-12)
    }
}
