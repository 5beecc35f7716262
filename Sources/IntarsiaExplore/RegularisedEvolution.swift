/// Regularised evolution (Real, Aggarwal, Huang and Le, "Regularized evolution for image
/// classifier architecture search", AAAI 2019): a population of distinct random points (drawn
/// as NSGA-II draws its first one), aged out oldest first; each step takes the fittest of
/// `sample` random members, mutates and repairs it, and the child replaces the oldest member.
/// Fitness: the first objective (minimised); an infeasible point ranks below every feasible
/// one, by its violation (fitness -1000 (1 + violation) against -objective 0, as the NAS runs
/// have always scored it). Repeats as in `NSGA2`. One child per ask: each depends on the last.
/// Before each step the caller's `interject` hook may take the turn; its point joins the
/// population as a child does (NAS's recombination and local search).
public struct RegularisedEvolution<Point: Hashable & Sendable>: ExplorationStrategy {
    var b: Breeder<Point>
    let populationSize: Int
    let sample: Int
    public let planned: Int
    var evaluated = 0
    var population: [(point: Point, fitness: Double)] = []
    var repeats = 0
    var started = false
    var over = false

    public init(_ c: StrategyContext<Point>) {
        b = Breeder(c)
        populationSize = c.population
        sample = c.sample
        planned = c.budget
    }

    public static func fitness(_ s: some Scored) -> Double { s.feasible ? -s.objective(0) : -1000 * (1 + s.violation) }

    public mutating func ask() -> [Proposal<Point>] {
        if over || evaluated >= planned { return [] }
        if !started {
            started = true
            return b.firstPopulation(min(populationSize, planned), firstID: evaluated)
        }
        guard !population.isEmpty else { over = true; return [] }
        while true {
            if let p = b.interjected() { return [Proposal(id: evaluated, point: p)] }
            let parent = (0..<sample).map { _ in population[b.rng.below(population.count)] }.max { $0.fitness < $1.fitness }!
            let c = b.mutant(of: parent.point)
            if b.seen.contains(c) {
                if repeats < 50 { repeats += 1; continue }
                if !b.acceptRepeats { over = true; return [] }
            }
            repeats = 0
            b.seen.insert(c)
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
