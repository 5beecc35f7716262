import Foundation
import IntarsiaCore

/// What the fitting commands share: the measured cells, a seeded split into fitted and held-out
/// rows, and the held-out rank correlation and error of each figure.
public enum CostFitting {
    /// The measured architectures as NAS-Bench-201 cells (an error names the first line that is
    /// not one).
    public static func cells(_ m: MeasurementsTable) throws -> [NB201Cell] {
        try m.architectures.enumerated().map { n, a in
            guard let c = NB201Cell(a) else {
                throw HardwareCostError("\(m.file) line \(n + 2): '\(a.prefix(120))' is not a NAS-Bench-201 cell; accepted: cell text such as |nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|")
            }
            return c
        }
    }

    /// `train` rows drawn without replacement by a seeded shuffle (SplitMix64, Fisher-Yates), the
    /// rest held out; `train` nil: 80% (at least 1 held out when there are 2 rows or more).
    public static func split(count: Int, train: Int?, seed: UInt64) throws -> (train: [Int], heldOut: [Int]) {
        let n = train ?? max(1, min(count - 1, Int((Double(count) * 0.8).rounded())))
        guard n >= 1, n <= count else { throw HardwareCostError("--train \(n): the file has \(count) measured architectures; accepted: 1 to \(count)") }
        var order = Array(0..<count)
        var rng = SplitMix64(seed: seed)
        for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
        return (order[..<n].sorted(), order[n...].sorted())
    }

    /// One figure's fit, judged on rows it was not fitted on.
    public struct Report: Sendable {
        public var figure: MeasuredFigureColumn
        public var fitted: Int
        public var heldOut: Int
        /// Spearman's rho of predicted against measured on the held-out rows (NaN without them).
        public var spearman: Double
        /// Mean of |predicted − measured| / measured over held-out rows with a measured value > 0.
        public var meanRelativeError: Double

        public init(figure: MeasuredFigureColumn, predicted: [Double], measured: [Double], fitted: Int) {
            self.figure = figure
            self.fitted = fitted
            heldOut = measured.count
            spearman = measured.count > 1 ? RankCorrelation.spearman(predicted, measured) : .nan
            let rel = zip(predicted, measured).filter { $0.1 > 0 }.map { abs($0.0 - $0.1) / $0.1 }
            meanRelativeError = rel.isEmpty ? .nan : rel.reduce(0, +) / Double(rel.count)
        }

        /// The report's line; a rank correlation that cannot be computed says why instead of
        /// printing "nan": fewer than 2 held-out cells, or every held-out measurement (or
        /// prediction) equal.
        public var line: String {
            let rho: String
            if !spearman.isNaN { rho = "Spearman \(String(format: "%.4f", spearman))" }
            else if heldOut < 2 { rho = "Spearman not computed: \(heldOut) held-out cell\(heldOut == 1 ? "" : "s"), a rank correlation needs at least 2 (train on fewer cells)" }
            else { rho = "Spearman not computed: the held-out figures (or their predictions) are all equal, so they have no ranking" }
            let error = meanRelativeError.isNaN ? "mean relative error not computed: no held-out cell with a measured value > 0"
                : "mean relative error \(String(format: "%.1f", meanRelativeError * 100))%"
            return "\(figure.rawValue): fitted on \(fitted), held out \(heldOut): \(rho), \(error)"
        }
    }
}
