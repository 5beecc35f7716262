import Foundation
import IntarsiaCore

/// A calibration's outcome: each constant with its uncertainty, each design's error before and
/// after, and its leave-one-out error (refit without the design, then predict it).
public struct CalibrationReport: Sendable {
    public struct ConstantRow: Sendable {
        public var constant: PlatformConstant
        public var base: Double
        public var fitted: Double
        public var standardError: Double?
        public var atBound: Bool { fitted <= constant.lowerBound || fitted >= constant.upperBound }
    }

    public struct DesignRow: Sendable {
        public var measurement: MeasuredDesign
        public var beforeCycles: Double
        public var afterCycles: Double
        public var leaveOneOutCycles: Double
        /// Constants the fit without this design could not determine, held at the base value.
        public var heldAtBase: [String]
        public var beforePowerW: Double
        public var afterPowerW: Double
        public var beforeError: Double { beforeCycles / measurement.measuredCycles - 1 }
        public var afterError: Double { afterCycles / measurement.measuredCycles - 1 }
        public var leaveOneOutError: Double { leaveOneOutCycles / measurement.measuredCycles - 1 }
    }

    public var fit: Calibration.Fit
    public var constants: [ConstantRow]
    public var designs: [DesignRow]

    public var medianErrorBefore: Double { Self.median(designs.map { abs($0.beforeError) }) }
    public var medianErrorAfter: Double { Self.median(designs.map { abs($0.afterError) }) }
    public var medianErrorLeaveOneOut: Double { Self.median(designs.map { abs($0.leaveOneOutError) }) }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Fits all designs (refused when a constant cannot be determined), then refits without each
    /// design in turn on `workers` cores. A leave-one-out fit that cannot determine a constant
    /// without the design left out holds it at the base value, and the design's row says so.
    public static func make(_ c: Calibration, workers: Int = 1) throws -> CalibrationReport {
        let fit = try c.checkedFit()
        let rows = fit.constants.enumerated().map { k, constant in
            ConstantRow(constant: constant, base: constant.value(in: c.base), fitted: fit.values[k], standardError: fit.standardErrors?[k])
        }
        let designs = try Parallel.map(c.cases.count, workers: workers) { i in
            let kase = c.cases[i]
            let others = c.cases.enumerated().filter { $0.offset != i }.map(\.element)
            var chosen = c.constants, held: [String] = []
            var predictOn = c.base
            while !chosen.isEmpty {
                do {
                    predictOn = try c.fit(cases: others, constants: chosen).platform
                    break
                } catch let u as Calibration.Undetermined {
                    held.append(u.constant.name)
                    chosen.removeAll { $0.name == u.constant.name }
                }
            }
            let before = kase.evaluate(c.base), after = kase.evaluate(fit.platform), loo = kase.evaluate(predictOn)
            return DesignRow(measurement: kase.measurement, beforeCycles: before.cycles, afterCycles: after.cycles, leaveOneOutCycles: loo.cycles,
                             heldAtBase: held, beforePowerW: before.powerW, afterPowerW: after.powerW)
        }
        return CalibrationReport(fit: fit, constants: rows, designs: designs)
    }
}
