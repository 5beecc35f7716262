import Foundation
import IntarsiaExplore
import IntarsiaGLPK

/// The exact method of the co-exploration, for one hardware candidate: pick one architecture per
/// task so that the weighted accuracy is largest while the hardware specs hold. Each task runs on
/// a given sub-accelerator; latency is the largest per-sub-accelerator sum of the tasks' latencies,
/// energy the sum. A multiple-choice integer program (GLPK) over the architectures that are not
/// dominated (no other is at least as accurate, as fast and as frugal, and better in one):
///
///     max Σ_t w_t Σ_a acc[t][a]·x[t][a]
///     s.t. Σ_a x[t][a] = 1                                   every task
///          Σ_{t on s} Σ_a latency[t][a]·x[t][a] <= L          every sub-accelerator s
///          Σ_t Σ_a energy[t][a]·x[t][a] <= E
///          acc[t][a]·x[t][a] summed >= the task's minimum accuracy
///
/// Proven optimal for table oracles (accuracies known in advance).
public enum ExactSelection {
    public struct Candidate: Sendable, Equatable {
        public var index: Int
        public var accuracy: Double
        public var latency: Double
        public var energy: Double
        public init(index: Int, accuracy: Double, latency: Double, energy: Double) {
            self.index = index
            self.accuracy = accuracy
            self.latency = latency
            self.energy = energy
        }
    }

    public struct Task: Sendable {
        public var name: String
        public var weight: Double
        public var subAccelerator: Int
        public var minimumAccuracy: Double?
        public var candidates: [Candidate]
        public init(name: String, weight: Double, subAccelerator: Int, minimumAccuracy: Double? = nil, candidates: [Candidate]) {
            self.name = name
            self.weight = weight
            self.subAccelerator = subAccelerator
            self.minimumAccuracy = minimumAccuracy
            self.candidates = candidates
        }
    }

    public struct Choice: Sendable {
        /// The chosen candidate's `index` per task.
        public var architectures: [Int]
        public var weightedAccuracy: Double
        public var latency: Double
        public var energy: Double
        public var status: SolveResult.Status
        public var candidatesAfterPruning: Int
    }

    /// A solve that ended without a proof either way (time limit, numerical failure): the candidate is
    /// neither infeasible nor solved, and an optimum over candidates is then not proven.
    public struct Unproven: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public struct NoChoice: Error, CustomStringConvertible { public var description: String }

    /// The candidates no other candidate dominates (more accurate or equal, no slower, no more
    /// energy, better in one); the first of equal ones is kept. The kernel's `ParetoArchive`
    /// over (latency, energy, -accuracy), offered in order of latency, then energy, then
    /// accuracy descending: no candidate dominates one before it in this order, so the archive
    /// never drops a member and keeps exactly the candidates no earlier one dominates or ties.
    public static func nonDominated(_ c: [Candidate]) -> [Candidate] {
        let sorted = c.sorted { ($0.latency, $0.energy, -$0.accuracy, $0.index) < ($1.latency, $1.energy, -$1.accuracy, $1.index) }
        var kept = ParetoArchive<Candidate>()
        for x in sorted { kept.offer(x) }
        return kept.members
    }

    /// `prePruned`: the tasks' candidates are already non-dominated (skips the pruning pass).
    /// `staticEnergyPerLatency`: energy the platform burns per unit of the design's latency
    /// (static power), added to the energy: a variable λ ≥ every sub-accelerator's latency and
    /// Σ energy + staticEnergyPerLatency·λ ≤ maxEnergy.
    public static func solve(_ tasks: [Task], maxLatency: Double, maxEnergy: Double, staticEnergyPerLatency: Double = 0,
                             timeLimitSeconds: Double = 10, prePruned: Bool = false) throws -> Choice {
        let pruned = prePruned ? tasks.map(\.candidates) : tasks.map { nonDominated($0.candidates) }
        var m = LinearModel(sense: .maximize)
        var vars: [[Int]] = []
        for (t, cands) in pruned.enumerated() {
            let xs = cands.indices.map { m.addVariable("x_\(t)_\($0)", kind: .binary, cost: tasks[t].weight * cands[$0].accuracy) }
            vars.append(xs)
            m.addConstraint("one_\(t)", xs.map { ($0, 1.0) }, lower: 1, upper: 1)
            if let a = tasks[t].minimumAccuracy {
                m.addConstraint("accuracy_\(t)", zip(xs, cands).map { ($0, $1.accuracy) }, lower: a)
            }
        }
        let lambda = staticEnergyPerLatency > 0 ? m.addVariable("latency", lower: 0, kind: .continuous, cost: 0) : nil
        for s in Set(tasks.map(\.subAccelerator)).sorted() {
            var terms: [(Int, Double)] = []
            for (t, task) in tasks.enumerated() where task.subAccelerator == s {
                terms += zip(vars[t], pruned[t]).map { ($0, $1.latency) }
            }
            m.addConstraint("latency_\(s)", terms, upper: maxLatency)
            if let l = lambda { m.addConstraint("latency_bound_\(s)", terms + [(l, -1)], upper: 0) }
        }
        var energyTerms = zip(vars, pruned).flatMap { zip($0, $1).map { ($0, $1.energy) } }
        if let l = lambda { energyTerms.append((l, staticEnergyPerLatency)) }
        m.addConstraint("energy", energyTerms, upper: maxEnergy)
        var o = SolveOptions()
        o.timeLimitSeconds = timeLimitSeconds
        let r = try GLPK.solve(m, options: o)
        guard r.hasSolution else {
            if r.status != .infeasible {
                throw Unproven(description: "GLPK stopped without an answer (\(r.status.rawValue))")
            }
            throw NoChoice(description: "no choice of architectures meets latency <= \(maxLatency) and energy <= \(maxEnergy) on this hardware (GLPK: \(r.status.rawValue))")
        }
        var picks: [Candidate] = []
        for (xs, cands) in zip(vars, pruned) {
            guard let i = xs.firstIndex(where: { r.values[$0] > 0.5 }) else {
                throw Unproven(description: "GLPK answered \(r.status.rawValue) without choosing an architecture for every task (a numerical failure, not a proof)")
            }
            picks.append(cands[i])
        }
        var load: [Int: Double] = [:]
        for (t, p) in picks.enumerated() { load[tasks[t].subAccelerator, default: 0] += p.latency }
        // The answer must meet the rows it was solved under; a numerical failure is reported, never kept.
        let used = picks.reduce(0) { $0 + $1.energy } + staticEnergyPerLatency * (load.values.max() ?? 0)
        guard (load.values.max() ?? 0) <= maxLatency * (1 + 1e-9), used <= maxEnergy * (1 + 1e-9) else {
            throw Unproven(description: "GLPK answered \(r.status.rawValue) with a choice that breaks latency <= \(maxLatency) or energy <= \(maxEnergy) (a numerical failure, not a proof)")
        }
        return Choice(architectures: picks.map(\.index), weightedAccuracy: r.objective!, latency: load.values.max() ?? 0,
                      energy: picks.reduce(0) { $0 + $1.energy }, status: r.status, candidatesAfterPruning: pruned.reduce(0) { $0 + $1.count })
    }

    /// Every combination (for small problems in tests): the best weighted accuracy, or nil.
    public static func bruteForce(_ tasks: [Task], maxLatency: Double, maxEnergy: Double, staticEnergyPerLatency: Double = 0) -> Double? {
        var best: Double?
        var pick = [Int](repeating: 0, count: tasks.count)
        func visit(_ t: Int) {
            if t == tasks.count {
                var load: [Int: Double] = [:]
                var energy = 0.0, acc = 0.0
                for (k, i) in pick.enumerated() {
                    let c = tasks[k].candidates[i]
                    if let a = tasks[k].minimumAccuracy, c.accuracy < a { return }
                    load[tasks[k].subAccelerator, default: 0] += c.latency
                    energy += c.energy
                    acc += tasks[k].weight * c.accuracy
                }
                let latency = load.values.max() ?? 0
                energy += staticEnergyPerLatency * latency
                if latency <= maxLatency * (1 + 1e-12) && energy <= maxEnergy * (1 + 1e-12) { best = max(best ?? -.infinity, acc) }
                return
            }
            for i in tasks[t].candidates.indices { pick[t] = i; visit(t + 1) }
        }
        visit(0)
        return best
    }
}

/// A candidate as the kernel's dominance sees it: latency, energy and negated accuracy, all
/// minimised; always feasible (the specs are the program's constraints).
extension ExactSelection.Candidate: Scored {
    public var feasible: Bool { true }
    public var violation: Double { 0 }
    public var objectiveCount: Int { 3 }
    public func objective(_ k: Int) -> Double {
        switch k {
        case 0: return latency
        case 1: return energy
        default: return -accuracy
        }
    }
}
