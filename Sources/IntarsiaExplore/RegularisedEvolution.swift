import IntarsiaCore

/// Regularised evolution (Real, Aggarwal, Huang and Le, "Regularized evolution for image
/// classifier architecture search", AAAI 2019): a population of distinct random points (drawn
/// as NSGA-II draws its first one), aged out oldest first; each step takes the fittest of
/// `sample` random members, mutates and repairs it, and the child replaces the oldest member.
/// Fitness: the first objective (minimised); an infeasible point ranks below every feasible
/// one, by its violation (fitness -1000 (1 + violation) against -objective 0, as the NAS runs
/// have always scored it). Repeats as in `NSGA2`. One child per ask: each depends on the last.
public struct RegularisedEvolution<Point: Hashable & Sendable>: ExplorationStrategy {
    var rng: SplitMix64
    let v: Variation<Point>
    let populationSize: Int
    let sample: Int
    let acceptRepeats: Bool
    public let planned: Int
    var seen = Set<Point>()
    var evaluated = 0
    var population: [(point: Point, fitness: Double)] = []
    var repeats = 0
    var started = false
    var over = false

    public init(_ c: StrategyContext<Point>) {
        rng = SplitMix64(seed: c.seed)
        v = c.variation
        populationSize = c.population
        sample = c.sample
        acceptRepeats = c.acceptRepeats
        planned = c.budget
    }

    public static func fitness(_ s: some Scored) -> Double { s.feasible ? -s.objective(0) : -1000 * (1 + s.violation) }

    public mutating func ask() -> [Proposal<Point>] {
        if over || evaluated >= planned { return [] }
        if !started {
            started = true
            var out: [Proposal<Point>] = []
            var misses = 0
            while evaluated + out.count < min(populationSize, planned) && misses < 1000 {
                let d = v.repair(v.random(&rng), &rng)
                if seen.contains(d) { misses += 1; continue }
                misses = 0
                seen.insert(d)
                out.append(Proposal(id: evaluated + out.count, point: d))
            }
            return out
        }
        guard !population.isEmpty else { over = true; return [] }
        while true {
            let parent = (0..<sample).map { _ in population[rng.below(population.count)] }.max { $0.fitness < $1.fitness }!
            let c = v.repair(v.mutate(parent.point, &rng), &rng)
            if seen.contains(c) {
                if repeats < 50 { repeats += 1; continue }
                if !acceptRepeats { over = true; return [] }
            }
            repeats = 0
            seen.insert(c)
            return [Proposal(id: evaluated, point: c)]
        }
    }

    public mutating func tell<S: Scored>(_ asked: [Proposal<Point>], _ scores: [S]) {
        let first = population.isEmpty
        for (p, s) in zip(asked, scores) {
            population.append((p.point, Self.fitness(s)))
            if !first { population.removeFirst() }
        }
        evaluated += asked.count
    }
}
