import Testing
import Foundation
import IntarsiaCore
@testable import IntarsiaExplore

/// The REINFORCE controller's policy (moved here from the NAS tests with the policy).
@Suite struct RecurrentPolicyTests {
    /// The policy's update is gradient ascent on log π(actions): checked against finite
    /// differences of a log-probability computed here, independently of the policy's code.
    @Test func policyUpdateFollowsTheLogProbabilityGradient() {
        var rng = SplitMix64(seed: 4)
        let policy = RecurrentPolicy(choices: [3, 2, 4], hidden: 4, rng: &rng)
        let ep = policy.sample(&rng)
        func logProbability(_ q: RecurrentPolicy) -> Double {
            var h = [Double](repeating: 0, count: 4), total = 0.0
            for (d, n) in q.choices.enumerated() {
                let logits = (0..<n).map { k in (0..<4).reduce(q.b[q.offset[d] + k]) { $0 + q.w[(q.offset[d] + k) * 4 + $1] * h[$1] } }
                let m = logits.max()!
                let z = logits.reduce(0) { $0 + exp($1 - m) }
                let a = ep.actions[d]
                total += logits[a] - m - log(z)
                h = (0..<4).map { i in tanh((0..<4).reduce(q.c[i] + q.e[(q.offset[d] + a) * 4 + i]) { $0 + q.u[i * 4 + $1] * h[$1] }) }
            }
            return total
        }
        let lr = 1e-7
        var stepped = policy
        stepped.update([(ep, 1)], learningRate: lr, entropy: 0)
        let eps = 1e-6
        // Every parameter block: a few entries each.
        for (name, path) in [("w", \RecurrentPolicy.w), ("b", \RecurrentPolicy.b), ("e", \RecurrentPolicy.e), ("u", \RecurrentPolicy.u), ("c", \RecurrentPolicy.c)] {
            for i in stride(from: 0, to: policy[keyPath: path].count, by: 3) {
                var plus = policy, minus = policy
                plus[keyPath: path][i] += eps
                minus[keyPath: path][i] -= eps
                let numeric = (logProbability(plus) - logProbability(minus)) / (2 * eps)
                let analytic = (stepped[keyPath: path][i] - policy[keyPath: path][i]) / lr
                #expect(abs(numeric - analytic) < 1e-5 * max(1, abs(numeric)), "\(name)[\(i)]: numeric \(numeric), update \(analytic)")
            }
        }
    }

    /// A batch's update is one step along the batch's mean gradient taken at the weights the
    /// episodes were sampled with, however large the step: with learning rate 1 and two episodes
    /// the change of every weight equals the finite-difference gradient of
    /// (A₁·log π(ep₁) + A₂·log π(ep₂)) / 2 at the old weights. (An update that moved the weights
    /// while back-propagating would differ at order lr².)
    @Test func batchUpdateIsOneStepAlongTheGradientAtTheOldWeights() {
        var rng = SplitMix64(seed: 11)
        let policy = RecurrentPolicy(choices: [3, 2, 4], hidden: 4, rng: &rng)
        let episodes = [(policy.sample(&rng), 0.7), (policy.sample(&rng), -1.3)]
        func objective(_ q: RecurrentPolicy) -> Double {
            var total = 0.0
            for (ep, advantage) in episodes {
                var h = [Double](repeating: 0, count: 4), logp = 0.0
                for (d, n) in q.choices.enumerated() {
                    let logits = (0..<n).map { k in (0..<4).reduce(q.b[q.offset[d] + k]) { $0 + q.w[(q.offset[d] + k) * 4 + $1] * h[$1] } }
                    let m = logits.max()!
                    let z = logits.reduce(0) { $0 + exp($1 - m) }
                    let a = ep.actions[d]
                    logp += logits[a] - m - log(z)
                    h = (0..<4).map { i in tanh((0..<4).reduce(q.c[i] + q.e[(q.offset[d] + a) * 4 + i]) { $0 + q.u[i * 4 + $1] * h[$1] }) }
                }
                total += advantage * logp
            }
            return total / Double(episodes.count)
        }
        var stepped = policy
        stepped.update(episodes, learningRate: 1, entropy: 0)
        let eps = 1e-6
        for (name, path) in [("w", \RecurrentPolicy.w), ("b", \RecurrentPolicy.b), ("e", \RecurrentPolicy.e), ("u", \RecurrentPolicy.u), ("c", \RecurrentPolicy.c)] {
            for i in policy[keyPath: path].indices {
                var plus = policy, minus = policy
                plus[keyPath: path][i] += eps
                minus[keyPath: path][i] -= eps
                let numeric = (objective(plus) - objective(minus)) / (2 * eps)
                let step = stepped[keyPath: path][i] - policy[keyPath: path][i]
                #expect(abs(numeric - step) < 1e-6 * max(1, abs(numeric)), "\(name)[\(i)]: gradient \(numeric), step \(step)")
            }
        }
    }
}

/// The controller evaluates each point at most once, the caller's interjected points included:
/// on a space of three points, with the caller's turn giving point 1 first, no seed asks a point
/// twice (the policy samples point 1 again in most seeds; its reward is remembered).
@Suite struct ReinforceAidTests {
    @Test func anInterjectedPointIsNotEvaluatedAgain() throws {
        for seed in UInt64(1)...20 {
            var c = StrategyContext(space: IndexedSpace(radices: [3]), budget: 3, seed: seed)
            var given = false
            c.interject = { _ in
                if given { return nil }
                given = true
                return 1
            }
            var s = try Reinforce(c)
            var asked: [Int] = []
            Explorer.run(&s, evaluate: { i in Scores(objectives: [Double(i)]) }) { a, _ in asked += a.map(\.point) }
            #expect(asked.first == 1, "seed \(seed)")
            #expect(Set(asked).count == asked.count, "seed \(seed): asked \(asked)")
        }
    }
}
