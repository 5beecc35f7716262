import Foundation
import IntarsiaCore

/// NASAIC's controller (`Reinforce`): a recurrent policy that emits every decision of a point in
/// turn (for a NAS joint design: each sub-accelerator's knobs, each task's sub-accelerator, each
/// task's cell edges), trained with REINFORCE against a moving-average baseline.
///
/// The policy: h₀ = 0; at step d, logits = W_d·h + b_d, a choice a_d ~ softmax(logits), then
/// h ← tanh(U·h + E_d[a_d] + c). Gradients by back-propagation through the steps; plain
/// gradient ascent on A·Σ log π(a_d) + β·Σ entropy(π_d), A = reward − baseline, averaged over a
/// batch. Weights are kept in flat arrays (one block per step) so that sampling and the update
/// allocate little.
struct RecurrentPolicy {
    let hidden: Int
    let choices: [Int]
    /// Offsets of step d's rows in `w`/`e` (in rows of `hidden`) and in `b`.
    let offset: [Int]
    var w: [Double]      // Σ choices × hidden
    var b: [Double]      // Σ choices
    var e: [Double]      // Σ choices × hidden (embedding of the choice taken)
    var u: [Double]      // hidden × hidden, row-major
    var c: [Double]

    init(choices: [Int], hidden: Int, rng: inout SplitMix64) {
        self.hidden = hidden
        self.choices = choices
        var o: [Int] = [], k = 0
        for n in choices { o.append(k); k += n }
        offset = o
        func r() -> Double { (Double(rng.next() % 2000) / 1000 - 1) * 0.1 }
        // The same draws, in the same order, as the nested layout this replaced: per step the
        // W rows, then per step the E rows, then U.
        var w: [Double] = [], e: [Double] = []
        for n in choices { for _ in 0..<(n * hidden) { w.append(r()) } }
        for n in choices { for _ in 0..<(n * hidden) { e.append(r()) } }
        self.w = w
        self.e = e
        b = [Double](repeating: 0, count: k)
        u = (0..<(hidden * hidden)).map { _ in r() }
        c = [Double](repeating: 0, count: hidden)
    }

    struct Episode {
        var actions: [Int]
        var states: [Double]          // h before each step, and the last h: (steps + 1) × hidden
        var probabilities: [Double]   // per step its choices' probabilities, at `offset`
    }

    func sample(_ rng: inout SplitMix64) -> Episode {
        let H = hidden, D = choices.count
        var states = [Double](repeating: 0, count: (D + 1) * H)
        var probabilities = [Double](repeating: 0, count: b.count)
        var actions: [Int] = []
        actions.reserveCapacity(D)
        w.withUnsafeBufferPointer { w in e.withUnsafeBufferPointer { e in u.withUnsafeBufferPointer { u in
        states.withUnsafeMutableBufferPointer { s in probabilities.withUnsafeMutableBufferPointer { p in
            for d in 0..<D {
                let n = choices[d], o = offset[d], h = d * H
                var m = -Double.infinity
                for k in 0..<n {
                    var z = b[o + k]
                    let row = (o + k) * H
                    for j in 0..<H { z += w[row + j] * s[h + j] }
                    p[o + k] = z
                    m = max(m, z)
                }
                var total = 0.0
                for k in 0..<n { p[o + k] = exp(p[o + k] - m); total += p[o + k] }
                for k in 0..<n { p[o + k] /= total }
                let x = Double(rng.next() >> 11) * 0x1.0p-53
                var acc = 0.0, a = n - 1
                for k in 0..<n { acc += p[o + k]; if x < acc { a = k; break } }
                actions.append(a)
                let erow = (o + a) * H
                for i in 0..<H {
                    var z = c[i] + e[erow + i]
                    for j in 0..<H { z += u[i * H + j] * s[h + j] }
                    s[h + H + i] = tanh(z)
                }
            }
        } } } } }
        return Episode(actions: actions, states: states, probabilities: probabilities)
    }

    /// One ascent step on Σ_episodes [advantage·Σ_d log π(a_d) + β·Σ_d H(π_d)], divided by the
    /// batch size. The gradient of the whole batch is taken at the current weights and applied
    /// once at the end: every episode and every step back-propagates through the weights it was
    /// sampled with.
    mutating func update(_ batch: [(Episode, Double)], learningRate lr: Double, entropy beta: Double) {
        var gradient = Gradient(zeroLike: self)
        for (episode, advantage) in batch {
            accumulate(episode, advantage: advantage, entropy: beta, into: &gradient)
        }
        let scale = lr / Double(batch.count)
        for i in w.indices { w[i] += scale * gradient.w[i] }
        for i in b.indices { b[i] += scale * gradient.b[i] }
        for i in e.indices { e[i] += scale * gradient.e[i] }
        for i in u.indices { u[i] += scale * gradient.u[i] }
        for i in c.indices { c[i] += scale * gradient.c[i] }
    }

    /// Gradients of the objective with respect to each weight block, laid out like the blocks.
    struct Gradient {
        var w, b, e, u, c: [Double]
        init(zeroLike p: RecurrentPolicy) {
            w = [Double](repeating: 0, count: p.w.count)
            b = [Double](repeating: 0, count: p.b.count)
            e = [Double](repeating: 0, count: p.e.count)
            u = [Double](repeating: 0, count: p.u.count)
            c = [Double](repeating: 0, count: p.c.count)
        }
    }

    /// Adds one episode's gradient (back-propagation through the steps, at the current weights).
    func accumulate(_ ep: Episode, advantage: Double, entropy beta: Double, into grad: inout Gradient) {
        let H = hidden, D = choices.count
        var dh = [Double](repeating: 0, count: H), dPrev = [Double](repeating: 0, count: H)
        var dpre = [Double](repeating: 0, count: H)
        var g = [Double](repeating: 0, count: choices.max() ?? 0)
        w.withUnsafeBufferPointer { w in u.withUnsafeBufferPointer { u in
        grad.w.withUnsafeMutableBufferPointer { gw in grad.e.withUnsafeMutableBufferPointer { ge in
        grad.u.withUnsafeMutableBufferPointer { gu in grad.b.withUnsafeMutableBufferPointer { gb in
        grad.c.withUnsafeMutableBufferPointer { gc in
        ep.states.withUnsafeBufferPointer { s in ep.probabilities.withUnsafeBufferPointer { p in
            for d in stride(from: D - 1, through: 0, by: -1) {
                let a = ep.actions[d], n = choices[d], o = offset[d]
                let prev = d * H, next = (d + 1) * H
                // Through the recurrence h_{d+1} = tanh(U h_d + E_d[a] + c).
                for i in 0..<H { dpre[i] = dh[i] * (1 - s[next + i] * s[next + i]); dPrev[i] = 0 }
                let erow = (o + a) * H
                for i in 0..<H where dpre[i] != 0 {
                    let gi = dpre[i]
                    for j in 0..<H {
                        dPrev[j] += u[i * H + j] * gi
                        gu[i * H + j] += gi * s[prev + j]
                    }
                    ge[erow + i] += gi
                    gc[i] += gi
                }
                // The choice's log-probability: d/dlogits = onehot − p; the entropy's:
                // −p_k (log p_k + H).
                var entropy = 0.0
                if beta != 0 { for k in 0..<n where p[o + k] > 0 { entropy -= p[o + k] * log(p[o + k]) } }
                for k in 0..<n {
                    var gk = advantage * ((k == a ? 1 : 0) - p[o + k])
                    if beta != 0 && p[o + k] > 0 { gk -= beta * p[o + k] * (log(p[o + k]) + entropy) }
                    g[k] = gk
                }
                for k in 0..<n {
                    let row = (o + k) * H, gk = g[k]
                    for j in 0..<H {
                        dPrev[j] += w[row + j] * gk
                        gw[row + j] += gk * s[prev + j]
                    }
                    gb[o + k] += gk
                }
                swap(&dh, &dPrev)
            }
        } } } } } } } } }
    }
}
