import IntarsiaCore
import Foundation

/// NASAIC's controller: a recurrent policy that emits every choice of a joint design in turn
/// (each sub-accelerator's knobs, each task's sub-accelerator, each task's six cell edges),
/// trained with REINFORCE against a moving-average baseline. The reward is the mean accuracy above
/// 65 points, over 5, for a feasible design, and a penalty growing with the overshoot for one
/// that breaks a spec (those are priced by the cost model alone: early pruning).
///
/// The policy: h₀ = 0; at step d, logits = W_d·h + b_d, a choice a_d ~ softmax(logits), then
/// h ← tanh(U·h + E_d[a_d] + c). Gradients by back-propagation through the steps; plain
/// gradient ascent on A·Σ log π(a_d), A = reward − baseline, averaged over a batch.
struct RecurrentPolicy {
    let hidden: Int
    let choices: [Int]
    var w: [[[Double]]]      // per step: choices × hidden
    var b: [[Double]]
    var e: [[[Double]]]      // per step: choices × hidden (embedding of the choice taken)
    var u: [[Double]]        // hidden × hidden
    var c: [Double]

    init(choices: [Int], hidden: Int, rng: inout SplitMix64) {
        self.hidden = hidden
        self.choices = choices
        func r() -> Double { (Double(rng.next() % 2000) / 1000 - 1) * 0.1 }
        w = choices.map { k in (0..<k).map { _ in (0..<hidden).map { _ in r() } } }
        b = choices.map { [Double](repeating: 0, count: $0) }
        e = choices.map { k in (0..<k).map { _ in (0..<hidden).map { _ in r() } } }
        u = (0..<hidden).map { _ in (0..<hidden).map { _ in r() } }
        c = [Double](repeating: 0, count: hidden)
    }

    struct Episode {
        var actions: [Int]
        var states: [[Double]]     // h before each step, and the last h
        var probabilities: [[Double]]
    }

    func sample(_ rng: inout SplitMix64) -> Episode {
        var h = [Double](repeating: 0, count: hidden)
        var ep = Episode(actions: [], states: [h], probabilities: [])
        for d in choices.indices {
            var logits = (0..<choices[d]).map { k in zip(w[d][k], h).reduce(b[d][k]) { $0 + $1.0 * $1.1 } }
            let m = logits.max()!
            logits = logits.map { exp($0 - m) }
            let z = logits.reduce(0, +)
            let p = logits.map { $0 / z }
            let x = Double(rng.next() >> 11) * 0x1.0p-53
            var acc = 0.0, a = p.count - 1
            for (k, pk) in p.enumerated() { acc += pk; if x < acc { a = k; break } }
            ep.actions.append(a)
            ep.probabilities.append(p)
            var next = [Double](repeating: 0, count: hidden)
            for i in 0..<hidden {
                var s = c[i] + e[d][a][i]
                for j in 0..<hidden { s += u[i][j] * h[j] }
                next[i] = tanh(s)
            }
            h = next
            ep.states.append(h)
        }
        return ep
    }

    /// One ascent step on Σ_episodes advantage·Σ_d log π(a_d), divided by the batch size.
    mutating func update(_ batch: [(Episode, Double)], learningRate lr: Double) {
        let scale = lr / Double(batch.count)
        for (ep, advantage) in batch {
            var dh = [Double](repeating: 0, count: hidden)   // gradient w.r.t. the state after step d
            for d in choices.indices.reversed() {
                let a = ep.actions[d]
                let hPrev = ep.states[d], hNext = ep.states[d + 1]
                // Through the recurrence h_{d+1} = tanh(U h_d + E_d[a] + c).
                let dpre = (0..<hidden).map { i in dh[i] * (1 - hNext[i] * hNext[i]) }
                var dPrev = [Double](repeating: 0, count: hidden)
                for i in 0..<hidden where dpre[i] != 0 {
                    for j in 0..<hidden {
                        dPrev[j] += u[i][j] * dpre[i]
                        u[i][j] += scale * dpre[i] * hPrev[j]
                    }
                    e[d][a][i] += scale * dpre[i]
                    c[i] += scale * dpre[i]
                }
                // The choice's log-probability: d/dlogits = onehot − p.
                for k in 0..<choices[d] {
                    let g = advantage * ((k == a ? 1 : 0) - ep.probabilities[d][k])
                    for j in 0..<hidden {
                        dPrev[j] += w[d][k][j] * g
                        w[d][k][j] += scale * g * hPrev[j]
                    }
                    b[d][k] += scale * g
                }
                dh = dPrev
            }
        }
    }
}

extension CoExploration {
    /// The decisions of a joint design, in the order the controller emits them.
    var decisionSizes: [Int] {
        space.accelerators.flatMap { [$0.dataflows.count, $0.rows.count, $0.columns.count, $0.bufferKiB.count, $0.bandwidthBytesPerCycle.count] }
            + tasks.map { _ in space.accelerators.count } + tasks.flatMap { _ in [Int](repeating: 5, count: 6) }
    }

    func design(from actions: [Int], cellIndex: [NB201Cell: Int]) -> Design {
        var k = 0
        var hardware = 0, scale = 1
        for a in space.accelerators {
            for n in [a.dataflows.count, a.rows.count, a.columns.count, a.bufferKiB.count, a.bandwidthBytesPerCycle.count] {
                hardware += actions[k] * scale
                scale *= n
                k += 1
            }
        }
        let assignment = tasks.indices.map { t in actions[k + t] }
        k += tasks.count
        let cells = tasks.indices.map { t -> Int in
            let edges = (0..<6).map { NB201Cell.Operation.allCases[actions[k + 6 * t + $0]] }
            return cellIndex[NB201Cell(edges: edges)]!
        }
        return Design(hardware: hardware, assignment: assignment, cells: cells)
    }

    /// NASAIC's REINFORCE controller (see `RecurrentPolicy`): batches of 8 designs, a baseline
    /// that moves by 0.1 of each batch's mean reward, learning rate 0.05, 32 hidden units.
    public func policyGradient(budget: Int, seed: UInt64, visit: (Int, Outcome) -> Void) {
        var rng = SplitMix64(seed: seed)
        var policy = RecurrentPolicy(choices: decisionSizes, hidden: 32, rng: &rng)
        let cellIndex = Dictionary(uniqueKeysWithValues: table.cells.enumerated().map { ($1, $0) })
        let weights = tasks.reduce(0) { $0 + $1.weight }
        var baseline: Double?
        var n = 0
        while n < budget {
            var batch: [(RecurrentPolicy.Episode, Double)] = []
            for _ in 0..<min(8, budget - n) {
                let ep = policy.sample(&rng)
                let o = evaluate(design(from: ep.actions, cellIndex: cellIndex))
                visit(n, o)
                n += 1
                // Mean accuracy points above 65, over 5 (about 1 for the best cells); below every
                // feasible design, a penalty that grows with the overshoot.
                let reward = o.feasible ? (o.weightedAccuracy / weights - 65) / 5 : -3 - min(overshoot(o), 10)
                batch.append((ep, reward))
            }
            let mean = batch.reduce(0) { $0 + $1.1 } / Double(batch.count)
            let b = baseline ?? mean
            policy.update(batch.map { ($0.0, $0.1 - b) }, learningRate: 0.05)
            baseline = b + 0.1 * (mean - b)
        }
    }
}
