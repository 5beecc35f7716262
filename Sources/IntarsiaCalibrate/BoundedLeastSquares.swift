import Foundation

/// Bounded nonlinear least squares: minimises ½‖r(x)‖² over the box lower ≤ x ≤ upper by a
/// projected Levenberg-Marquardt method (Nocedal and Wright, "Numerical Optimization", 2nd ed.,
/// §10.3; bounds by freezing the variables at a bound whose gradient points outwards, then
/// clamping the step) with central finite-difference Jacobians. The variables are scaled to
/// [0, 1] over their box, so one step size and one rank tolerance fit every unit.
public struct BoundedLeastSquares: Sendable {
    public var lower: [Double]
    public var upper: [Double]
    /// Finite-difference step as a fraction of each box (1%: the model rounds some terms up to
    /// whole cycles, so a smaller step could land on a flat piece).
    public var relativeStep = 0.01
    /// At most this many accepted or rejected steps; reaching it shows as `.iterationLimit`.
    public var maxIterations = 200

    public init(lower: [Double], upper: [Double]) {
        self.lower = lower
        self.upper = upper
    }

    public enum Stop: String, Sendable, Equatable {
        case converged
        case iterationLimit = "iteration limit"
    }

    public struct Result: Sendable {
        public var x: [Double]
        public var residuals: [Double]
        /// Jacobian at `x` in the variables' own units: jacobian[i][j] = ∂r_i/∂x_j.
        public var jacobian: [[Double]]
        public var iterations: Int
        public var stop: Stop
        public var cost: Double { 0.5 * residuals.reduce(0) { $0 + $1 * $1 } }
    }

    /// Why a variable cannot be determined: the residuals do not move with it, or it moves them
    /// only as a combination of others does.
    public enum Undetermined: Error, Sendable, Equatable {
        case noEffect(variable: Int)
        case collinear(variable: Int, with: [Int])
    }

    func scaled(_ x: [Double]) -> [Double] { x.indices.map { (x[$0] - lower[$0]) / (upper[$0] - lower[$0]) } }
    func unscaled(_ u: [Double]) -> [Double] { u.indices.map { lower[$0] + u[$0] * (upper[$0] - lower[$0]) } }

    /// Central differences in the scaled variables (one-sided at a bound): columns per unit of
    /// the scaled variable.
    func scaledJacobian(_ u: [Double], _ r0: [Double], _ f: ([Double]) -> [Double]) -> [[Double]] {
        let m = r0.count, n = u.count
        var j = Array(repeating: Array(repeating: 0.0, count: n), count: m)
        for k in 0..<n {
            var a = u, b = u
            a[k] = min(1, u[k] + relativeStep)
            b[k] = max(0, u[k] - relativeStep)
            let ra = f(unscaled(a)), rb = f(unscaled(b))
            for i in 0..<m { j[i][k] = (ra[i] - rb[i]) / (a[k] - b[k]) }
        }
        return j
    }

    /// Fits from `start` (clamped into the box). Throws `Undetermined` when the Jacobian at the
    /// start or at the optimum is rank deficient.
    public func fit(start: [Double], _ f: ([Double]) -> [Double]) throws -> Result {
        let n = start.count
        var u = scaled(start).map { min(1, max(0, $0)) }
        var r = f(unscaled(u))
        var cost = Self.halfSquare(r)
        var j = scaledJacobian(u, r, f)
        try Self.checkRank(j)
        var lambda = 1e-3, iterations = 0, stop = Stop.iterationLimit
        while iterations < maxIterations {
            iterations += 1
            let g = (0..<n).map { k in r.indices.reduce(0) { $0 + j[$1][k] * r[$1] } }
            let free = (0..<n).filter { !((u[$0] <= 0 && g[$0] > 0) || (u[$0] >= 1 && g[$0] < 0)) }
            if free.isEmpty || free.allSatisfy({ abs(g[$0]) < 1e-14 }) || cost < 1e-24 { stop = .converged; break }
            let step = Self.dampedStep(j, g, free: free, lambda: lambda)
            if step.allSatisfy({ abs($0) < 1e-13 }) { stop = .converged; break }
            var trial = u
            for (k, d) in zip(free, step) { trial[k] = min(1, max(0, u[k] + d)) }
            let rt = f(unscaled(trial))
            let ct = Self.halfSquare(rt)
            if ct < cost {
                let gain = cost - ct
                u = trial; r = rt; cost = ct
                j = scaledJacobian(u, r, f)
                lambda = max(lambda / 3, 1e-12)
                if gain <= 1e-12 * max(cost, 1e-30) { stop = .converged; break }
            } else {
                lambda *= 4
                if lambda > 1e12 { stop = .converged; break }
            }
        }
        try Self.checkRank(j)
        let x = unscaled(u)
        let jx = j.map { row in row.indices.map { row[$0] / (upper[$0] - lower[$0]) } }
        return Result(x: x, residuals: r, jacobian: jx, iterations: iterations, stop: stop)
    }

    static func halfSquare(_ r: [Double]) -> Double { 0.5 * r.reduce(0) { $0 + $1 * $1 } }

    /// The Levenberg-Marquardt step over the free variables: (JᵀJ + λ diag(JᵀJ)) δ = −g.
    static func dampedStep(_ j: [[Double]], _ g: [Double], free: [Int], lambda: Double) -> [Double] {
        var a = normalMatrix(j, free)
        for k in free.indices { a[k][k] += lambda * max(a[k][k], 1e-12) }
        return LinearAlgebra.solve(a, free.map { -g[$0] }) ?? free.map { _ in 0 }
    }

    static func normalMatrix(_ j: [[Double]], _ columns: [Int]) -> [[Double]] {
        columns.map { a in columns.map { b in j.reduce(0) { $0 + $1[a] * $1[b] } } }
    }

    /// Pivot-free Gram-Schmidt over the scaled columns: a column of norm below 1e-9 (the
    /// residuals move less than 1e-11 over 1% of the box) has no effect; one whose part
    /// orthogonal to the earlier columns is below 1e-6 of its norm is collinear with them.
    static func checkRank(_ j: [[Double]]) throws {
        guard let n = j.first?.count else { return }
        var basis: [(index: Int, vector: [Double])] = []
        for k in 0..<n {
            let column = j.map { $0[k] }
            let norm = LinearAlgebra.norm(column)
            if norm < 1e-9 { throw Undetermined.noEffect(variable: k) }
            var v = column
            for b in basis {
                let dot = zip(v, b.vector).reduce(0) { $0 + $1.0 * $1.1 }
                for i in v.indices { v[i] -= dot * b.vector[i] }
            }
            let rest = LinearAlgebra.norm(v)
            if rest < 1e-6 * norm {
                let partners = basis.filter { b in abs(zip(column, b.vector).reduce(0) { $0 + $1.0 * $1.1 }) > 1e-9 * norm }.map { $0.index }
                throw Undetermined.collinear(variable: k, with: partners)
            }
            basis.append((k, v.map { $0 / rest }))
        }
    }

    /// Standard errors of the variables at a fit: the square roots of the diagonal of
    /// s²(JᵀJ)⁻¹ with s² = ‖r‖²/(m − n); nil when there are no more residuals than variables
    /// (no spread left to estimate s² from) or JᵀJ is singular.
    public static func standardErrors(_ result: Result) -> [Double]? {
        let m = result.residuals.count, n = result.x.count
        guard m > n else { return nil }
        let s2 = 2 * result.cost / Double(m - n)
        guard let inverse = LinearAlgebra.inverse(normalMatrix(result.jacobian, Array(0..<n))) else { return nil }
        return (0..<n).map { (s2 * max(0, inverse[$0][$0])).squareRoot() }
    }
}
