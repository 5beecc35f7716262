import Foundation
import Testing
import IntarsiaCore
import IntarsiaFPGA
@testable import IntarsiaCalibrate
@testable import IntarsiaDriver

/// Cases priced directly from the published designs' points (no spec, no CSV).
enum Published {
    static func kase(_ d: PublishedDesign, measuredCycles: Double, measuredPowerW: Double? = nil) throws -> CalibrationCase {
        let w = try d.workload.make()
        let index = Dictionary(uniqueKeysWithValues: w.tasks.enumerated().map { ($1.name, $0) })
        let stages = d.schedule.map { $0.map { $0.map { index[$0]! } } }
        let point = d.point
        let m = MeasuredDesign(design: d.name, spec: "", specPath: "", knobs: [], measuredCycles: measuredCycles, measuredPowerW: measuredPowerW)
        return CalibrationCase(measurement: m) { p in
            let e = try! FPGAModel(workload: w, platform: p, reconfigurableSchedule: stages).evaluate(point)
            return (e.latencyCycles, e.powerW)
        }
    }

    static func constants(_ names: [String]) -> [PlatformConstant] { names.map { PlatformConstants.named($0)! } }
}

@Suite struct CalibrationTests {
    /// Synthetic measurements: the model run with chosen constants (none of them the base's), then
    /// fitted from the base platform's values. The fit must find the chosen constants again.
    @Test func recoversTheConstantsThatMadeTheMeasurements() throws {
        let truth: [String: Double] = ["blocking_read_cycles": 11.3, "burst_latency_cycles": 40, "mac_pipeline_base_depth_cycles": 8.5,
                                       "sfu_depth_cycles": 12, "static_power_w": 25]
        var truePlatform = PlatformCatalog.u280
        for (n, v) in truth { PlatformConstants.named(n)!.set(v, in: &truePlatform) }
        let probe = try PublishedDesign.all.map { try Published.kase($0, measuredCycles: 1) }
        let cases = try zip(PublishedDesign.all, probe).map { d, c in
            let e = c.evaluate(truePlatform)
            return try Published.kase(d, measuredCycles: e.cycles, measuredPowerW: e.powerW)
        }
        let calibration = Calibration(base: PlatformCatalog.u280, constants: Published.constants(truth.keys.sorted()), cases: cases)
        let fit = try calibration.fit()
        for (c, v) in zip(fit.constants, fit.values) {
            #expect(abs(v / truth[c.name]! - 1) < 1e-3, "\(c.name): fitted \(v), made with \(truth[c.name]!)")
        }
        // And the base values were not already there: the uncalibrated model misses.
        let before = Calibration.residuals(cases, on: PlatformCatalog.u280)
        #expect(before.map(abs).max()! > 0.05)
    }

    @Test func theCauchyLossKeepsADesignTheModelMissesFromDraggingTheConstants() throws {
        // Measurements made with blocking reads of 9 cycles, except one design measured 3x
        // slower than the model can explain (a mechanism it lacks).
        var truePlatform = PlatformCatalog.u280
        truePlatform.blockingReadCycles = 9
        let names = ["MLP, sequential", "Gating net, sequential", "Gating net, sequential (scaled down)", "Self-attention, sequential", "VAE, sequential"]
        let cases = try PublishedDesign.all.filter { names.contains($0.name) }.map { d in
            let e = try Published.kase(d, measuredCycles: 1).evaluate(truePlatform)
            return try Published.kase(d, measuredCycles: e.cycles * (d.name == "MLP, sequential" ? 3 : 1))
        }
        let k = Published.constants(["blocking_read_cycles"])
        let squares = try Calibration(base: PlatformCatalog.u280, constants: k, cases: cases).fit()
        let cauchy = try Calibration(base: PlatformCatalog.u280, constants: k, cases: cases, loss: .cauchy).fit()
        #expect(squares.values[0] > 9 * 1.1, "least squares moves toward the outlier: \(squares.values[0])")
        #expect(abs(cauchy.values[0] / 9 - 1) < 0.05, "cauchy: \(cauchy.values[0])")
    }

    @Test func constantsNoMeasurementDependsOnAreRefusedByName() throws {
        // Dataflow designs stream their weights in bursts: no blocking read anywhere.
        let names = ["MLP, dataflow", "CNN-4L, dataflow", "Gating net, dataflow"]
        let cases = try PublishedDesign.all.filter { names.contains($0.name) }.map { try Published.kase($0, measuredCycles: $0.measuredCycles) }
        let calibration = Calibration(base: PlatformCatalog.u280, constants: Published.constants(["mac_pipeline_base_depth_cycles", "blocking_read_cycles"]),
                                      cases: cases)
        do {
            _ = try calibration.checkedFit()
            Issue.record("a fit of a constant no design depends on succeeded")
        } catch let e as Calibration.Undetermined {
            #expect(e.constant.name == "blocking_read_cycles")
            #expect(e.description.contains("cannot determine blocking_read_cycles"))
            #expect(e.description.contains("--fit mac_pipeline_base_depth_cycles"))
        }
    }

    @Test func powerConstantsWithoutMeasuredPowerAreRefused() throws {
        let cases = try PublishedDesign.all.prefix(4).map { try Published.kase($0, measuredCycles: $0.measuredCycles) }
        let calibration = Calibration(base: PlatformCatalog.u280, constants: Published.constants(["blocking_read_cycles", "static_power_w"]), cases: cases)
        #expect(throws: Calibration.Undetermined.self) { _ = try calibration.fit() }
    }

    @Test func leaveOneOutPredictsEachDesignFromTheOthers() throws {
        // Exact synthetic data: every refit without one design still finds the constants, so
        // each left-out design is predicted exactly.
        var truePlatform = PlatformCatalog.u280
        truePlatform.blockingReadCycles = 9
        truePlatform.macPipelineBaseDepthCycles = 7
        let chosen = PublishedDesign.all.filter { ["MLP, sequential", "Gating net, dataflow", "Gating net, sequential", "Self-attention, InTAR"].contains($0.name) }
        let cases = try chosen.map { d in
            let e = try Published.kase(d, measuredCycles: 1).evaluate(truePlatform)
            return try Published.kase(d, measuredCycles: e.cycles)
        }
        let r = try CalibrationReport.make(Calibration(base: PlatformCatalog.u280, constants: Published.constants(["blocking_read_cycles", "mac_pipeline_base_depth_cycles"]),
                                                       cases: cases))
        for d in r.designs {
            #expect(abs(d.leaveOneOutError) < 1e-4, "\(d.measurement.design): \(d.leaveOneOutError)")
            #expect(abs(d.beforeError) > 1e-3)
        }
        #expect(r.medianErrorLeaveOneOut < r.medianErrorBefore / 100)
    }
}
