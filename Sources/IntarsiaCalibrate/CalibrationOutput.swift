import Foundation
import IntarsiaCore
import IntarsiaRows

/// What `intarsia calibrate` writes: the report's tables (text or CSV) and the override YAML.
public enum CalibrationOutput {
    static func percent(_ x: Double) -> String { String(format: "%+.1f%%", x * 100) }
    static func plain(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

    public static let constantColumns = Columns<CalibrationReport.ConstantRow>([
        Column("constant", "the platform constant (its YAML key)") { $0.constant.name },
        Column("unit", "its unit") { $0.constant.unit },
        Column("base", "the base platform's value") { Figures.significant($0.base, 6) },
        Column("fitted", "the fitted value") { Figures.significant($0.fitted, 6) },
        Column("std_error", "standard error from the Jacobian at the optimum (empty: no more measured figures than constants)") { r in
            r.standardError.map { Figures.significant($0, 3) } ?? ""
        },
        Column("lower_bound", "physical lower bound") { Figures.significant($0.constant.lowerBound, 6) },
        Column("upper_bound", "physical upper bound") { Figures.significant($0.constant.upperBound, 6) },
        Column("at_bound", "true when the fit stopped on a bound") { Figures.flag($0.atBound) },
    ])

    public static let designColumns = Columns<CalibrationReport.DesignRow>([
        Column("design", "the measured design") { $0.measurement.design },
        Column("measured_cycles", "measured cycles") { Figures.significant($0.measurement.measuredCycles, 12) },
        Column("model_cycles", "the base platform's model") { Figures.significant($0.beforeCycles.rounded(), 12) },
        Column("error", "before calibration, model / measured - 1") { percent($0.beforeError) },
        Column("calibrated_cycles", "the model with the fitted constants") { Figures.significant($0.afterCycles.rounded(), 12) },
        Column("calibrated_error", "after calibration") { percent($0.afterError) },
        Column("loo_cycles", "predicted by a fit without this design") { Figures.significant($0.leaveOneOutCycles.rounded(), 12) },
        Column("loo_error", "leave-one-out error") { percent($0.leaveOneOutError) },
        Column("measured_power_w", "measured power (empty: not measured)") { r in r.measurement.measuredPowerW.map { Figures.significant($0, 6) } ?? "" },
        Column("calibrated_power_w", "the calibrated model's power") { Figures.significant($0.afterPowerW, 6) },
        Column("loo_status", "ok, or the constants held at the base value in the fit without this design") { r in
            r.heldAtBase.isEmpty ? "ok" : "held at base: " + r.heldAtBase.joined(separator: " ")
        },
    ])

    public static func summary(_ r: CalibrationReport) -> String {
        let ratio = r.medianErrorLeaveOneOut / r.medianErrorBefore
        return """
            median |cycle error| over \(r.designs.count) designs: uncalibrated \(plain(r.medianErrorBefore)), calibrated \(plain(r.medianErrorAfter)), \
            leave-one-out \(plain(r.medianErrorLeaveOneOut)) (\(String(format: "%.2f", ratio)) of the uncalibrated)
            fit: \(r.fit.loss.rawValue) loss, \(r.fit.iterations) iterations, \(r.fit.stop.rawValue)

            """
    }

    public static func text(_ r: CalibrationReport) -> String {
        constantColumns.table(r.constants) + "\n" + designColumns.table(r.designs) + "\n" + summary(r)
    }

    /// The override file: a header comment (date, data file, residuals), the base platform and
    /// the fitted constants, each with its standard error as a comment.
    public static func overrideYAML(_ r: CalibrationReport, base: String, dataFile: String, date: Date) -> String {
        let stamp = ISO8601DateFormatter().string(from: date)
        var s = "# Platform override written by intarsia calibrate on \(stamp)\n"
        s += "# data: \(dataFile) (\(r.designs.count) designs)\n"
        s += "# fit: bounded least squares on ln(model / measured), \(r.fit.loss.rawValue) loss, \(r.fit.iterations) iterations, \(r.fit.stop.rawValue)\n"
        s += "# median |cycle error|: uncalibrated \(plain(r.medianErrorBefore)), calibrated \(plain(r.medianErrorAfter)), leave-one-out \(plain(r.medianErrorLeaveOneOut))\n"
        s += "# residuals per design (cycles error before -> after, leave-one-out):\n"
        for d in r.designs {
            s += "#   \(d.measurement.design): \(percent(d.beforeError)) -> \(percent(d.afterError)), \(percent(d.leaveOneOutError))\n"
        }
        s += "# use it in a spec as: platform: {base: \(base), override: THIS_FILE}\n"
        s += "base: \(base)\nconstants:\n"
        for c in r.constants {
            let se = c.standardError.map { " ± " + Figures.significant($0, 3) } ?? ""
            s += "  \(c.constant.name): \(c.fitted)  # \(c.constant.unit)\(se); base \(Figures.significant(c.base, 6)); bounds \(c.constant.boundsText)\n"
        }
        return s
    }
}
