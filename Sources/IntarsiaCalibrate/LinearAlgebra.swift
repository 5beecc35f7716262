/// The little dense linear algebra the fit needs (systems of a handful of unknowns).
enum LinearAlgebra {
    static func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// Solves a x = b by Gaussian elimination with partial pivoting; nil when a pivot vanishes
    /// (below 1e-300: singular to working precision).
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a
        var y = b
        for c in 0..<n {
            guard let p = (c..<n).max(by: { abs(m[$0][c]) < abs(m[$1][c]) }), abs(m[p][c]) > 1e-300 else { return nil }
            m.swapAt(c, p)
            y.swapAt(c, p)
            for r in (c + 1)..<max(c + 1, n) {
                let f = m[r][c] / m[c][c]
                if f == 0 { continue }
                for k in c..<n { m[r][k] -= f * m[c][k] }
                y[r] -= f * y[c]
            }
        }
        var x = Array(repeating: 0.0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = y[r]
            for k in (r + 1)..<max(r + 1, n) { s -= m[r][k] * x[k] }
            x[r] = s / m[r][r]
        }
        return x
    }

    /// The inverse of a square matrix, column by column; nil when singular.
    static func inverse(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        var columns: [[Double]] = []
        for c in 0..<n {
            guard let x = solve(a, (0..<n).map { $0 == c ? 1 : 0 }) else { return nil }
            columns.append(x)
        }
        return (0..<n).map { r in (0..<n).map { columns[$0][r] } }
    }
}
