import Foundation
import IntarsiaCore

/// Which architectures to measure next (`intarsia nas train-predictor --active N`): those whose
/// predicted cost is least certain. The uncertainty of a cell is the spread of its predictions
/// over an ensemble of predictors, each trained like the predictor (`CostPredictor.train`: operator
/// table plus boosted trees) on a bootstrap resample of the measured cells (drawn with replacement,
/// seeded): the standard deviation of the predicted logarithm, averaged over the figures (a ratio
/// spread, so a small cell weighs as much as a large one). Deterministic for a seed.
public enum ActiveSelection {
    public struct Pick: Sendable, Equatable {
        public var cell: NB201Cell
        /// Mean over figures of the standard deviation of the predicted logarithm across the
        /// ensemble.
        public var spread: Double
    }

    /// Ensemble members (bootstrap predictors).
    public static let defaultMembers = 8

    /// The `count` candidates with the largest spread (ties: candidate order), kept apart from
    /// each other (`diverse`); candidates the measurements already hold, and repeats, are left out.
    public static func pick(_ m: MeasurementsTable, cells: [NB201Cell], rows: [Int], candidates: [NB201Cell], count: Int, seed: UInt64,
                            members: Int = defaultMembers, settings: GradientBoostedTrees.Settings = .init()) throws -> [Pick] {
        guard count >= 1 else { throw HardwareCostError("--active \(count): accepted: a number of architectures >= 1") }
        guard rows.count >= 2 else { throw HardwareCostError("\(m.file): --active needs at least 2 measured cells to resample, has \(rows.count)") }
        let measured = Set(cells)
        var seen = Set<NB201Cell>()
        let pool = candidates.filter { !measured.contains($0) && seen.insert($0).inserted }
        // Per figure (sorted by name), per candidate: the sum and the sum of squares of the
        // predicted logarithm over the members.
        var sums: [[Double]] = [], squares: [[Double]] = []
        var rng = SplitMix64(seed: seed ^ 0xAC71_5E1E_C710_0000)
        for k in 0..<members {
            let resample = rows.map { _ in rows[rng.below(rows.count)] }
            let p = try CostPredictor.train(m, cells: cells, rows: resample, seed: seed &+ UInt64(k) &+ 1, settings: settings)
            for (f, (_, v)) in try p.predict(pool).sorted(by: { $0.key.rawValue < $1.key.rawValue }).enumerated() {
                if f == sums.count { sums.append([Double](repeating: 0, count: pool.count)); squares.append(sums[f]) }
                for i in pool.indices { let l = log(max(v[i], 1e-12)); sums[f][i] += l; squares[f][i] += l * l }
            }
        }
        let n = Double(members)
        let spread = pool.indices.map { i -> Double in
            let deviations = sums.indices.map { f in (max(squares[f][i] / n - (sums[f][i] / n) * (sums[f][i] / n), 0)).squareRoot() }
            return deviations.reduce(0, +) / Double(max(deviations.count, 1))
        }
        let order = pool.indices.sorted { spread[$0] != spread[$1] ? spread[$0] > spread[$1] : $0 < $1 }
        return diverse(order, pool: pool, count: count).map { Pick(cell: pool[$0], spread: spread[$0]) }
    }

    /// Edges two cells differ on, below which a candidate is too close to an earlier pick.
    public static let minimumDistance = 3

    /// The first `count` of `order` (largest spread first), skipping a candidate that differs
    /// from an earlier pick on fewer than `minimumDistance` edges (the most uncertain cells come
    /// in families of near-copies: measuring one tells much about the others; on the
    /// microcontroller, 50 picks without this made the ranking worse, docs/NAS.md); when too few
    /// are left, the skipped ones fill the rest in order.
    static func diverse(_ order: [Int], pool: [NB201Cell], count: Int) -> [Int] {
        var picked: [Int] = [], skipped: [Int] = []
        for i in order where picked.count < count {
            if picked.contains(where: { p in zip(pool[p].edges, pool[i].edges).filter { $0 != $1 }.count < minimumDistance }) { skipped.append(i) } else { picked.append(i) }
        }
        return picked + skipped.prefix(count - picked.count)
    }

    /// The picks as CSV: `architecture,spread,reason`.
    public static func csv(_ picks: [Pick], members: Int = defaultMembers) -> String {
        "architecture,spread,reason\n" + picks.map {
            "\($0.cell.description),\(String(format: "%.6f", $0.spread)),std of log prediction over \(members) bootstrap predictors\n"
        }.joined()
    }
}
