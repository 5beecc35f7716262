import Foundation

/// Non-negative least squares: min ‖A·x − b‖ subject to x ≥ 0, by Lawson and Hanson's
/// active-set algorithm ("Solving Least Squares Problems", 1974, chapter 23, algorithm NNLS).
/// The unconstrained subproblems are solved by the normal equations (Cholesky), which is exact
/// enough for the few dozen columns of an operator table.
public enum NonNegativeLeastSquares {
    /// `a` is row-major (rows × columns). Columns that never help (their gradient never
    /// positive) stay 0. At most `3·columns` outer iterations (Lawson and Hanson's bound in
    /// practice; reaching it throws).
    public static func solve(_ a: [[Double]], _ b: [Double]) throws -> [Double] {
        let n = a.first?.count ?? 0
        var x = [Double](repeating: 0, count: n)
        var passive = [Bool](repeating: false, count: n)
        let scale = max(b.map(abs).max() ?? 1, 1e-300)
        let tolerance = 1e-10 * scale * Double(max(a.count, 1))
        for _ in 0..<(3 * n + 3) {
            let w = gradient(a, b, x)
            guard let j = (0..<n).filter({ !passive[$0] && w[$0] > tolerance }).max(by: { w[$0] < w[$1] }) else { return x }
            passive[j] = true
            while true {
                let p = (0..<n).filter { passive[$0] }
                let z = leastSquares(a, b, columns: p)
                if z.allSatisfy({ $0 > 0 }) {
                    x = [Double](repeating: 0, count: n)
                    for (k, c) in p.enumerated() { x[c] = z[k] }
                    break
                }
                // Step towards z as far as feasibility allows, then drop the columns that hit 0.
                var alpha = Double.infinity
                for (k, c) in p.enumerated() where z[k] <= 0 { alpha = min(alpha, x[c] / (x[c] - z[k])) }
                for (k, c) in p.enumerated() { x[c] += alpha * (z[k] - x[c]) }
                for c in p where x[c] <= 1e-14 * scale { passive[c] = false; x[c] = 0 }
                if !passive.contains(true) { break }
            }
        }
        throw NNLSNotConverged()
    }

    public struct NNLSNotConverged: Error, CustomStringConvertible {
        public var description: String { "non-negative least squares did not converge within its iteration bound" }
    }

    /// Aᵀ(b − A·x).
    static func gradient(_ a: [[Double]], _ b: [Double], _ x: [Double]) -> [Double] {
        var w = [Double](repeating: 0, count: x.count)
        for (row, y) in zip(a, b) {
            var r = y
            for (v, xi) in zip(row, x) { r -= v * xi }
            for k in row.indices { w[k] += row[k] * r }
        }
        return w
    }

    /// The unconstrained least-squares solution on `columns` (normal equations, Cholesky with a
    /// ridge of 1e-12 of the diagonal's largest entry against exactly collinear columns).
    static func leastSquares(_ a: [[Double]], _ b: [Double], columns: [Int]) -> [Double] {
        let k = columns.count
        var g = [Double](repeating: 0, count: k * k), r = [Double](repeating: 0, count: k)
        for (row, y) in zip(a, b) {
            for i in 0..<k {
                let ai = row[columns[i]]
                guard ai != 0 else { continue }
                r[i] += ai * y
                for j in 0...i { g[i * k + j] += ai * row[columns[j]] }
            }
        }
        let ridge = 1e-12 * ((0..<k).map { g[$0 * k + $0] }.max() ?? 1)
        for i in 0..<k { g[i * k + i] += ridge }
        // Cholesky: G = L·Lᵀ (lower triangle of g).
        for i in 0..<k {
            for j in 0...i {
                var s = g[i * k + j]
                for m in 0..<j { s -= g[i * k + m] * g[j * k + m] }
                g[i * k + j] = i == j ? sqrt(max(s, 1e-300)) : s / g[j * k + j]
            }
        }
        var y = [Double](repeating: 0, count: k)
        for i in 0..<k { var s = r[i]; for m in 0..<i { s -= g[i * k + m] * y[m] }; y[i] = s / g[i * k + i] }
        var x = [Double](repeating: 0, count: k)
        for i in stride(from: k - 1, through: 0, by: -1) { var s = y[i]; for m in (i + 1)..<k { s -= g[m * k + i] * x[m] }; x[i] = s / g[i * k + i] }
        return x
    }
}
