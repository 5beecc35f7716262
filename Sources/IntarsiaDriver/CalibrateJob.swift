import Foundation
import IntarsiaCalibrate
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaReports
import IntarsiaRows
import IntarsiaSpec

/// `intarsia calibrate MEASUREMENTS.csv --platform PART -o OVERRIDE.yaml`: fits the platform's
/// constants to measured designs and writes them as a platform override (docs/VALIDATION.md,
/// "Calibrating from your own measurements").
public enum CalibrateJob {
    public enum Format: String, CaseIterable, Sendable { case text, csv }

    /// The designs of a measurements file, each priced from its spec and knobs on a platform
    /// whose `constants` come from the candidate platform (they replace the spec's own values).
    public static func cases(_ measurements: [MeasuredDesign], base: FPGAPlatform, constants: [PlatformConstant]) throws -> [CalibrationCase] {
        var specs: [String: DesignSpec] = [:]
        return try measurements.map { m in
            let spec: DesignSpec
            do {
                if let s = specs[m.specPath] { spec = s } else { spec = try DesignSpec.load(path: m.specPath) }
            } catch {
                throw UserError("\(m.origin): spec '\(m.spec)': \(userFacing(error).description)")
            }
            specs[m.specPath] = spec
            guard spec.platform.name == base.name else {
                throw UserError("\(m.origin): spec '\(m.spec)' is for \(spec.platform.name), not \(base.name); accepted: specs on the platform being calibrated (--platform \(base.name))")
            }
            // Per-task lanes and loop nests as built (docs/MODEL.md, "Tasks as built").
            let (tasks, knobs) = try AsBuiltTasks.parse(m.knobs, owner: "\(m.origin): knobs")
            let point: DesignPoint
            do {
                point = try EvaluateJob.point(spec: spec, template: nil, sets: knobs)
            } catch {
                throw UserError("\(m.origin): knobs: \(userFacing(error).description.replacingOccurrences(of: "--set ", with: ""))")
            }
            let asBuilt = tasks.isEmpty ? nil : try tasks.resolve(spec.solvingModel.compiled, owner: "\(m.origin): knobs")
            return CalibrationCase(measurement: m) { candidate in
                var s = spec
                for c in constants { c.set(c.value(in: candidate), in: &s.platform) }
                var none = NoRecorder()
                let e = asBuilt?.evaluate(s.solvingModel, point, recorder: &none) ?? s.solvingModel.evaluate(point)
                return (e.latencyCycles, e.powerW)
            }
        }
    }

    /// The constants named by `--fit` (comma-separated), or the default list.
    public static func constants(_ names: String?, measurements: [MeasuredDesign]) throws -> [PlatformConstant] {
        guard let names else { return Calibration.defaultConstants(for: measurements) }
        let list = names.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if list.isEmpty { throw UserError("--fit '\(names)': no constant named; accepted: a comma-separated list of \(PlatformConstants.acceptedNames)") }
        var out: [PlatformConstant] = []
        for n in list {
            guard let c = PlatformConstants.named(n) else { throw UserError("--fit: unknown constant '\(n)'; accepted: \(PlatformConstants.acceptedNames)") }
            if out.contains(where: { $0.name == n }) { throw UserError("--fit: '\(n)' is named twice; accepted: each constant once") }
            out.append(c)
        }
        return out
    }

    /// Reads the measurements, fits, and returns the report (the caller prints it and writes
    /// the override).
    public static func run(measurements path: String, platform: String, fit: String?, loss: Calibration.Loss = .squares,
                           workers: Int = Parallel.allCores) throws -> CalibrationReport {
        guard let base = PlatformCatalog.named(platform) else {
            throw UserError("--platform '\(platform)': unknown platform; accepted: \(PlatformCatalog.acceptedNames)")
        }
        let measurements: [MeasuredDesign]
        do { measurements = try MeasurementsFile.read(path) } catch let e as RowReadError { throw UserError(e.description) }
        let constants = try constants(fit, measurements: measurements)
        let calibration = Calibration(base: base, constants: constants, cases: try cases(measurements, base: base, constants: constants), loss: loss)
        do {
            return try CalibrationReport.make(calibration, workers: workers)
        } catch let e as Calibration.Undetermined {
            throw UserError(e.description)
        } catch let e as CalibrationError {
            throw UserError(e.description)
        }
    }

    /// The command: checks the output path before the work, fits, writes the override file and
    /// returns the report for stdout.
    public static func command(measurements path: String, platform: String, fit: String?, loss: String, output: String, format: String,
                               date: Date = Date()) throws -> String {
        guard let f = Format(rawValue: format) else { throw UserError("--format '\(format)': accepted: text, csv") }
        guard let l = Calibration.Loss(rawValue: loss) else { throw UserError("--loss '\(loss)': accepted: squares, cauchy") }
        do { try OutputPath.check(output, option: "-o") } catch let e as OutputError { throw UserError(e.description) }
        let r = try run(measurements: path, platform: platform, fit: fit, loss: l)
        try writeAtomically(CalibrationOutput.overrideYAML(r, base: platform.lowercased(), dataFile: path, date: date), to: output)
        return self.output(r, format: f)
    }

    public static func output(_ r: CalibrationReport, format: Format) -> String {
        switch format {
        case .text: return CalibrationOutput.text(r)
        case .csv: return CalibrationOutput.designColumns.csv(r.designs)
        }
    }
}
