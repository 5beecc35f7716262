import Foundation
import IntarsiaCore

extension CoExploration {
    /// The objectives of the multi-objective search, all minimised: the weighted accuracy
    /// (negated), latency, energy and area.
    static func objectives(_ o: Outcome) -> SIMD4<Double> { SIMD4(-o.weightedAccuracy, o.latencyMs, o.energyMJ, o.areaMM2) }

    /// Constrained domination (Deb, Pratap, Agarwal and Meyarivan, IEEE TEC 2002, the NSGA-II
    /// paper, section VI): a feasible design beats an infeasible one; of two infeasible designs
    /// the one that overshoots the specs less wins; of two feasible ones, Pareto dominance on the
    /// objectives.
    static func constrainedDominates(_ a: (objectives: SIMD4<Double>, feasible: Bool, overshoot: Double),
                                     _ b: (objectives: SIMD4<Double>, feasible: Bool, overshoot: Double)) -> Bool {
        if a.feasible != b.feasible { return a.feasible }
        if !a.feasible { return a.overshoot < b.overshoot }
        return all(a.objectives .<= b.objectives) && any(a.objectives .< b.objectives)
    }

    /// Non-dominated sorting and crowding distance (NSGA-II): per member its front (0 is the
    /// best) and its crowding distance within the front (infinite at the ends of an objective's
    /// range).
    static func rankAndCrowding(_ m: [(objectives: SIMD4<Double>, feasible: Bool, overshoot: Double)]) -> (rank: [Int], crowding: [Double]) {
        let n = m.count
        var dominatedBy = [Int](repeating: 0, count: n)
        var dominates = [[Int]](repeating: [], count: n)
        for i in 0..<n {
            for j in (i + 1)..<max(n, i + 1) {
                if constrainedDominates(m[i], m[j]) { dominates[i].append(j); dominatedBy[j] += 1 }
                else if constrainedDominates(m[j], m[i]) { dominates[j].append(i); dominatedBy[i] += 1 }
            }
        }
        var rank = [Int](repeating: 0, count: n)
        var front = (0..<n).filter { dominatedBy[$0] == 0 }
        var fronts: [[Int]] = []
        var r = 0
        while !front.isEmpty {
            fronts.append(front)
            var next: [Int] = []
            for i in front {
                rank[i] = r
                for j in dominates[i] {
                    dominatedBy[j] -= 1
                    if dominatedBy[j] == 0 { next.append(j) }
                }
            }
            front = next
            r += 1
        }
        var crowding = [Double](repeating: 0, count: n)
        for f in fronts {
            for k in 0..<4 {
                // Infeasible members are ordered by their overshoot alone.
                let value: (Int) -> Double = { m[$0].feasible ? m[$0].objectives[k] : m[$0].overshoot }
                let sorted = f.sorted { (value($0), $0) < (value($1), $1) }
                guard let first = sorted.first, let last = sorted.last else { continue }
                crowding[first] = .infinity
                crowding[last] = .infinity
                let span = value(last) - value(first)
                guard span > 0, sorted.count > 2 else { continue }
                for p in 1..<(sorted.count - 1) { crowding[sorted[p]] += (value(sorted[p + 1]) - value(sorted[p - 1])) / span }
            }
        }
        return (rank, crowding)
    }

    /// The multi-objective search's settings; the aids are the ones `evolution` uses.
    public struct MultiObjectiveSettings: Sendable {
        public var population = 40
        /// Probability that a child is a crossover of its two parents (then mutated).
        public var crossover = 0.9
        public var aids = AidSettings()
        public init() {}
    }

    /// A multi-objective evolutionary search (NSGA-II: Deb et al., IEEE TEC 2002) over the joint
    /// designs: weighted accuracy up, latency, energy and area down, with the specs as
    /// constraints (constrained domination). Each generation breeds as many children as the
    /// population by binary tournaments (front, then crowding), uniform crossover (per task its
    /// sub-accelerator and architecture, per sub-accelerator its knobs, from either parent) and one
    /// mutation (`mutate`), repaired by the cost model when they break a hardware spec; parents
    /// and children are sorted into fronts and the best fronts survive, the last one cut by
    /// crowding. With the aids of `evolution`: a recombination of the known cells every
    /// `recombineEvery` evaluations and the local search for the last part of the budget (their
    /// designs join the population). A design already evaluated is not asked again. The Pareto
    /// set of every feasible design seen is what the caller gathers.
    @discardableResult
    public func multiObjective(budget: Int, seed: UInt64, settings: MultiObjectiveSettings = .init(), evaluate: Evaluator) rethrows -> SearchStats {
        var rng = SplitMix64(seed: seed)
        var progress = Progress(self)
        typealias Member = (design: Design, objectives: SIMD4<Double>, feasible: Bool, overshoot: Double)
        func member(_ o: Outcome) -> Member { (o.design, Self.objectives(o), o.feasible, o.feasible ? 0 : overshoot(o)) }
        func child(_ d: Design) -> Design {
            guard settings.aids.repairSteps > 0 else { return d }
            return repair(d, steps: settings.aids.repairSteps, rng: &rng, checks: &progress.stats.costModelChecks) ?? d
        }
        var pop: [Member] = []
        // A population of distinct designs (fewer when the space has fewer, as in `evolution`).
        var misses = 0
        while progress.evaluations < min(settings.population, budget) && misses < 1000 {
            let d = child(random(&rng))
            if progress.seen.contains(d) { misses += 1; continue }
            misses = 0
            pop.append(member(try progress.evaluate(d, evaluate)))
        }
        var (rank, crowd) = Self.rankAndCrowding(pop.map { ($0.objectives, $0.feasible, $0.overshoot) })
        func tournament() -> Int {
            let a = rng.below(pop.count), b = rng.below(pop.count)
            if rank[a] != rank[b] { return rank[a] < rank[b] ? a : b }
            return crowd[a] >= crowd[b] ? a : b
        }
        func cross(_ x: Design, _ y: Design) -> Design {
            var c = x
            var hx = hardware.knobs(x.hardware)
            let hy = hardware.knobs(y.hardware)
            for s in hx.indices where rng.below(2) == 1 { hx[s] = hy[s] }
            c.hardware = hardware.candidate(hx)
            for t in tasks.indices where rng.below(2) == 1 { c.assignment[t] = y.assignment[t]; c.cells[t] = y.cells[t] }
            return c
        }
        var aids = AidSchedule(settings.aids, budget: budget, from: progress.evaluations)
        while progress.evaluations < budget {
            var children: [Member] = []
            var repeats = 0
            while children.count < settings.population && progress.evaluations < budget {
                if let o = try aids.turn(&progress, &rng, evaluate) { children.append(member(o)); continue }
                let a = pop[tournament()].design, b = pop[tournament()].design
                let base = Double(rng.below(1 << 20)) / Double(1 << 20) < settings.crossover ? cross(a, b) : a
                let c = child(mutate(base, &rng))
                // After 50 repeats in a row the step goes on with the repeat.
                if progress.seen.contains(c) && repeats < 50 { repeats += 1; continue }
                repeats = 0
                children.append(member(try progress.evaluate(c, evaluate)))
                aids.evaluated(progress)
            }
            // Environmental selection: the best fronts of parents and children, the last one cut by
            // crowding.
            let all = pop + children
            let (r, c) = Self.rankAndCrowding(all.map { ($0.objectives, $0.feasible, $0.overshoot) })
            let keep = all.indices.sorted { (r[$0], -c[$0], $0) < (r[$1], -c[$1], $1) }.prefix(settings.population)
            pop = keep.map { all[$0] }
            rank = keep.map { r[$0] }
            crowd = keep.map { c[$0] }
        }
        return progress.stats
    }

    public func multiObjective(budget: Int, seed: UInt64, settings: MultiObjectiveSettings = .init(), visit: (Int, Outcome) -> Void) {
        var n = 0
        multiObjective(budget: budget, seed: seed, settings: settings) { d in let o = evaluate(d); visit(n, o); n += 1; return o }
    }
}
