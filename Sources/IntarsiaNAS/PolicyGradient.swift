import IntarsiaCore
import Foundation

/// NASAIC's controller: a recurrent policy that emits every choice of a joint design in turn
/// (each sub-accelerator's knobs, each task's sub-accelerator, each task's six cell edges),
/// trained with REINFORCE against a moving-average baseline.
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
    /// batch size.
    mutating func update(_ batch: [(Episode, Double)], learningRate lr: Double, entropy beta: Double) {
        let scale = lr / Double(batch.count)
        let H = hidden, D = choices.count
        var dh = [Double](repeating: 0, count: H), dPrev = [Double](repeating: 0, count: H), dpre = [Double](repeating: 0, count: H)
        var g = [Double](repeating: 0, count: choices.max() ?? 0)
        for (ep, advantage) in batch {
            for j in 0..<H { dh[j] = 0 }
            w.withUnsafeMutableBufferPointer { w in e.withUnsafeMutableBufferPointer { e in u.withUnsafeMutableBufferPointer { u in
            b.withUnsafeMutableBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
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
                            u[i * H + j] += scale * gi * s[prev + j]
                        }
                        e[erow + i] += scale * gi
                        c[i] += scale * gi
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
                            w[row + j] += scale * gk * s[prev + j]
                        }
                        b[o + k] += scale * gk
                    }
                    swap(&dh, &dPrev)
                }
            } } } } } } }
        }
    }
}

extension CoExploration {
    /// The decisions of a joint design, in the order the controller emits them.
    var decisionSizes: [Int] {
        Array(hardware.knobRadices.joined()) + tasks.map { _ in hardware.slotCount } + tasks.flatMap { $0.space.radices }
    }

    func design(from actions: [Int]) -> Design {
        var k = 0
        var hardware = 0, scale = 1
        for n in self.hardware.knobRadices.joined() {
            hardware += actions[k] * scale
            scale *= n
            k += 1
        }
        let assignment = tasks.indices.map { t in actions[k + t] }
        k += tasks.count
        var cells: [Int] = []
        for task in tasks {
            let n = task.space.radices.count
            cells.append(task.space.index(Array(actions[k..<(k + n)])))
            k += n
        }
        return Design(hardware: hardware, assignment: assignment, cells: cells)
    }

    /// The controller's settings (see `policyGradient`); the defaults are the best found on the
    /// bundled spec (docs/NAS.md).
    public struct ControllerSettings: Sendable {
        public var hidden = 32
        public var batch = 8
        public var learningRate = 0.05
        /// Weight of the policy's entropy in the objective (keeps it exploring).
        public var entropy = 0.01
        /// The baseline moves this fraction of the way to each batch's mean reward.
        public var baselineDecay = 0.1
        /// The cost-model aids (recombination, local search; repair of the variants evaluated
        /// after repeated samples).
        public var aids = AidSettings()
        public init() {}
    }

    /// NASAIC's REINFORCE controller (see `RecurrentPolicy`): batches of designs sampled from the
    /// policy; reward the mean accuracy above 65 points, over 5, for a feasible design, and
    /// below every feasible design a penalty growing with the overshoot (designs that break a
    /// hardware spec are priced by the cost model alone: early pruning). A design the policy
    /// samples again is not evaluated again: its reward is remembered (the budget counts distinct
    /// designs). As in `evolution`, the best design made of the cells answered so far is
    /// evaluated every `recombineEvery` evaluations, and the last part of the budget goes to the
    /// local search over one-edge neighbours.
    @discardableResult
    public func policyGradient(budget: Int, seed: UInt64, settings: ControllerSettings = .init(), evaluate: Evaluator) rethrows -> SearchStats {
        var rng = SplitMix64(seed: seed)
        var policy = RecurrentPolicy(choices: decisionSizes, hidden: settings.hidden, rng: &rng)
        var progress = Progress(self)
        let weights = max(tasks.reduce(0) { $0 + $1.weight }, 1e-12)
        func reward(_ o: Outcome) -> Double {
            // Mean accuracy points above 65, over 5 (about 1 for the best cells), never below -3;
            // an infeasible design below every feasible one, by a penalty that grows with the
            // overshoot. (Without the floor, a feasible design of low accuracy, or any design of
            // a hardware-only search, would earn less than an infeasible one.)
            o.feasible ? max((o.weightedAccuracy / weights - 65) / 5, -3) : -3 - min(max(overshoot(o), 1e-6), 10)
        }
        var remembered: [Design: Double] = [:]
        var stats = (samples: 0, duplicates: 0)
        var baseline: Double?
        var repeats = 0
        var aids = AidSchedule(settings.aids, budget: budget, from: 0)
        var evaluationsSeen = 0, samplesThen = 0
        while progress.evaluations < budget {
            // A policy that has found nothing new in 2,000 samples has exhausted what it reaches
            // (a space smaller than the budget): the run ends early.
            if progress.evaluations > evaluationsSeen { evaluationsSeen = progress.evaluations; samplesThen = stats.samples }
            if stats.samples - samplesThen > 2_000 { break }
            if try aids.turn(&progress, &rng, evaluate) != nil { continue }
            var batch: [(RecurrentPolicy.Episode, Double)] = []
            while batch.count < settings.batch && progress.evaluations < budget {
                let ep = policy.sample(&rng)
                stats.samples += 1
                let d = design(from: ep.actions)
                if let r = remembered[d] {
                    batch.append((ep, r))
                    stats.duplicates += 1
                    // A policy that keeps sampling what it has seen: after 20 repeats in a row,
                    // one change to the repeated design (repaired by the cost model) is evaluated
                    // instead (not learned from).
                    repeats += 1
                    if repeats >= 20 {
                        repeats = 0
                        var x = d
                        for _ in 0..<100 where progress.seen.contains(x) {
                            x = repair(mutate(x, &rng), steps: settings.aids.repairSteps, rng: &rng, checks: &progress.stats.costModelChecks) ?? mutate(x, &rng)
                        }
                        if !progress.seen.contains(x) { remembered[x] = reward(try progress.evaluate(x, evaluate)) }
                    }
                    continue
                }
                repeats = 0
                let r = reward(try progress.evaluate(d, evaluate))
                remembered[d] = r
                batch.append((ep, r))
                aids.evaluated(progress)
            }
            guard !batch.isEmpty else { break }
            let mean = batch.reduce(0) { $0 + $1.1 } / Double(batch.count)
            let b = baseline ?? mean
            policy.update(batch.map { ($0.0, $0.1 - b) }, learningRate: settings.learningRate, entropy: settings.entropy)
            baseline = b + settings.baselineDecay * (mean - b)
        }
        progress.stats.samples = stats.samples
        progress.stats.duplicates = stats.duplicates
        return progress.stats
    }

    public func policyGradient(budget: Int, seed: UInt64, settings: ControllerSettings = .init(), visit: (Int, Outcome) -> Void) {
        var n = 0
        policyGradient(budget: budget, seed: seed, settings: settings) { d in let o = evaluate(d); visit(n, o); n += 1; return o }
    }
}
