import Foundation
import IntarsiaCore

/// A measured design and how to price it on a platform (the driver builds it from the design's
/// spec and knobs).
public struct CalibrationCase: Sendable {
    public var measurement: MeasuredDesign
    /// The model's cycles and power (W) of the design on a platform.
    public var evaluate: @Sendable (FPGAPlatform) -> (cycles: Double, powerW: Double)

    public init(measurement: MeasuredDesign, evaluate: @escaping @Sendable (FPGAPlatform) -> (cycles: Double, powerW: Double)) {
        self.measurement = measurement
        self.evaluate = evaluate
    }
}

/// Why a calibration was refused.
public struct CalibrationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Fits a platform's constants to measured designs by bounded least squares on relative (log)
/// errors: ln(model / measured) of every measured cycle count, and of every measured power when
/// a measurement has one. The constants start from the base platform's values and stay within
/// their physical bounds (`PlatformConstants`).
public struct Calibration: Sendable {
    public var base: FPGAPlatform
    public var constants: [PlatformConstant]
    public var cases: [CalibrationCase]
    public var loss: Loss

    public init(base: FPGAPlatform, constants: [PlatformConstant], cases: [CalibrationCase], loss: Loss = .squares) {
        self.base = base
        self.constants = constants
        self.cases = cases
        self.loss = loss
    }

    /// What the fit minimises over the log errors r: `squares`, ½Σr² (least squares); `cauchy`,
    /// Σ ½c² ln(1 + (r/c)²) with c = 0.1 (a 10% error, the tolerance the well-built published
    /// designs are held to), which grows only logarithmically beyond c, so a design whose
    /// dominant mechanism the model lacks cannot drag the constants away from the others
    /// (Triggs et al., "Bundle Adjustment: A Modern Synthesis", 2000, §3.3: the Cauchy kernel).
    /// Solved as least squares on residuals sign(r)·c·sqrt(ln(1 + (r/c)²)).
    public enum Loss: String, CaseIterable, Sendable {
        case squares, cauchy

        static let cauchyScale = 0.1

        func transformed(_ r: Double) -> Double {
            switch self {
            case .squares: return r
            case .cauchy:
                let c = Self.cauchyScale
                return (r < 0 ? -c : c) * log1p((r / c) * (r / c)).squareRoot()
            }
        }
    }

    /// The constants fitted when none are named: the blocking read and the MAC pipeline depth
    /// (the cycle constants the 16 published U280 designs determine; the burst latency and the
    /// special-function depth are refused on them, standard errors beyond their whole range, and
    /// are fitted only when named with --fit), and the static power when some design has a
    /// measured power.
    public static func defaultConstants(for measurements: [MeasuredDesign]) -> [PlatformConstant] {
        let names = ["blocking_read_cycles", "mac_pipeline_base_depth_cycles"]
            + (measurements.contains { $0.measuredPowerW != nil } ? ["static_power_w"] : [])
        return names.compactMap(PlatformConstants.named)
    }

    public struct Fit: Sendable {
        public var constants: [PlatformConstant]
        public var values: [Double]
        /// nil: no more measured figures than constants (no spread to estimate it from).
        public var standardErrors: [Double]?
        public var iterations: Int
        public var stop: BoundedLeastSquares.Stop
        public var platform: FPGAPlatform
        public var loss: Loss
    }

    func platform(_ values: [Double], constants: [PlatformConstant]) -> FPGAPlatform {
        var p = base
        for (c, v) in zip(constants, values) { c.set(v, in: &p) }
        return p
    }

    /// ln(model / measured) of each case's cycles, then of each measured power.
    static func residuals(_ cases: [CalibrationCase], on p: FPGAPlatform) -> [Double] {
        var cycles: [Double] = [], power: [Double] = []
        for c in cases {
            let e = c.evaluate(p)
            cycles.append(log(e.cycles / c.measurement.measuredCycles))
            if let w = c.measurement.measuredPowerW { power.append(log(e.powerW / w)) }
        }
        return cycles + power
    }

    /// The fit over `cases` (all by default) of `constants` (the calibration's by default).
    public func fit(cases subset: [CalibrationCase]? = nil, constants chosen: [PlatformConstant]? = nil) throws -> Fit {
        let cs = subset ?? cases, ks = chosen ?? constants
        let solver = BoundedLeastSquares(lower: ks.map(\.lowerBound), upper: ks.map(\.upperBound))
        let start = ks.map { $0.value(in: base) }
        do {
            let r = try solver.fit(start: start) { x in Self.residuals(cs, on: platform(x, constants: ks)).map(loss.transformed) }
            return Fit(constants: ks, values: r.x, standardErrors: BoundedLeastSquares.standardErrors(r), iterations: r.iterations, stop: r.stop,
                       platform: platform(r.x, constants: ks), loss: loss)
        } catch let u as BoundedLeastSquares.Undetermined {
            throw Undetermined(constants: ks, reason: u, designs: cs.count)
        }
    }

    /// A constant the measurements cannot determine, named.
    public struct Undetermined: Error, CustomStringConvertible, Sendable {
        public var constants: [PlatformConstant]
        public var reason: BoundedLeastSquares.Undetermined
        public var designs: Int

        public var constant: PlatformConstant {
            switch reason {
            case .noEffect(let k), .collinear(let k, _): return constants[k]
            }
        }

        public var description: String {
            let c = constant
            let why: String
            switch reason {
            case .noEffect:
                why = "no measured figure of the \(designs) designs moves with it over its bounds (\(c.boundsText))"
            case .collinear(_, let with):
                why = "it moves the measured figures only as \(with.map { constants[$0].name }.joined(separator: " and ")) do (collinear Jacobian columns: the fit cannot tell them apart)"
            }
            return "the measurements cannot determine \(c.name): \(why); fit without it (--fit \(constants.filter { $0.name != c.name }.map(\.name).joined(separator: ","))) or add designs whose \(c.moves.rawValue) depend on it"
        }
    }

    /// The full fit, refused when a constant's standard error exceeds its whole physical range
    /// (the measurements leave it free to sit anywhere within its bounds).
    public func checkedFit() throws -> Fit {
        let f = try fit()
        if let se = f.standardErrors {
            for (k, c) in f.constants.enumerated() where se[k] > c.upperBound - c.lowerBound {
                throw CalibrationError("the measurements cannot determine \(c.name): its standard error, \(String(format: "%.3g", se[k])) \(c.unit), exceeds its whole physical range (\(c.boundsText)); fit without it (--fit \(f.constants.filter { $0.name != c.name }.map(\.name).joined(separator: ","))) or add designs whose \(c.moves.rawValue) depend on it")
            }
        }
        return f
    }
}
