import Foundation
import Testing
@testable import IntarsiaCalibrate

/// The solver on problems whose answers are known in closed form.
@Suite struct BoundedLeastSquaresTests {
    @Test func recoversAnExponentialDecayFromFarAway() throws {
        // y = 3 e^(-0.7 t), exact data: the minimum is a = 3, b = 0.7 with zero residuals.
        let t = (0..<10).map(Double.init)
        let y = t.map { 3 * exp(-0.7 * $0) }
        let solver = BoundedLeastSquares(lower: [0, 0], upper: [10, 5])
        let r = try solver.fit(start: [1, 0.1]) { x in t.indices.map { x[0] * exp(-x[1] * t[$0]) - y[$0] } }
        #expect(abs(r.x[0] - 3) < 1e-6)
        #expect(abs(r.x[1] - 0.7) < 1e-6)
        #expect(r.stop == .converged)
    }

    @Test func stopsOnABoundTheDataPushAgainst() throws {
        // r = x - 5 with x <= 3: the constrained minimum is the bound itself.
        let solver = BoundedLeastSquares(lower: [0], upper: [3])
        let r = try solver.fit(start: [1]) { x in [x[0] - 5, x[0] - 5] }
        #expect(r.x[0] == 3)
    }

    @Test func standardErrorOfASlopeIsTheTextbookOne() throws {
        // y = c t fitted by least squares: c = Σty/Σt², s² = Σr²/(m - 1), se(c) = sqrt(s²/Σt²).
        let t = [1.0, 2, 3, 4, 5]
        let y = [2.1, 3.9, 6.2, 7.8, 10.3]
        let stt = t.reduce(0) { $0 + $1 * $1 }
        let c = zip(t, y).reduce(0) { $0 + $1.0 * $1.1 } / stt
        let s2 = zip(t, y).reduce(0) { $0 + pow($1.1 - c * $1.0, 2) } / 4
        let solver = BoundedLeastSquares(lower: [-10], upper: [10])
        let r = try solver.fit(start: [0]) { x in t.indices.map { x[0] * t[$0] - y[$0] } }
        #expect(abs(r.x[0] - c) < 1e-9)
        let se = try #require(BoundedLeastSquares.standardErrors(r))
        #expect(abs(se[0] - (s2 / stt).squareRoot()) < 1e-9)
    }

    @Test func aVariableWithNoEffectIsNamed() {
        let solver = BoundedLeastSquares(lower: [0, 0], upper: [10, 10])
        #expect(throws: BoundedLeastSquares.Undetermined.noEffect(variable: 1)) {
            _ = try solver.fit(start: [1, 1]) { x in [1.0, 2, 3].map { x[0] * $0 - 2 * $0 } }
        }
    }

    @Test func twoVariablesThatOnlyActAsASumAreCollinear() {
        let solver = BoundedLeastSquares(lower: [0, 0], upper: [10, 10])
        #expect(throws: BoundedLeastSquares.Undetermined.collinear(variable: 1, with: [0])) {
            _ = try solver.fit(start: [1, 1]) { x in [1.0, 2, 3].map { (x[0] + x[1]) * $0 - 5 * $0 } }
        }
    }

    @Test func noStandardErrorWithoutMoreResidualsThanVariables() throws {
        let solver = BoundedLeastSquares(lower: [0], upper: [10])
        let r = try solver.fit(start: [1]) { x in [x[0] - 4] }
        #expect(abs(r.x[0] - 4) < 1e-9)
        #expect(BoundedLeastSquares.standardErrors(r) == nil)
    }
}
