/// NSGA-II (Deb, Pratap, Agarwal and Meyarivan, IEEE TEC 6(2), 2002) over any points the
/// variation hooks can draw, mutate, cross and repair. A first population of distinct random
/// points (repaired; 1,000 repeats in a row end the attempt), kept in the order drawn with its
/// fronts and crowding; then each generation breeds as many children as the population: binary
/// tournaments on (front, crowding), a crossover of the two parents with probability
/// `crossoverRate`, a mutation and a repair. A child already seen is drawn again, up to 50 times
/// in a row; then the repeat is evaluated when `acceptRepeats` (the NAS runs) or the generation
/// ends (and a generation without children ends the run). Before each child the caller's
/// `interject` hook may take the turn (its point is a child of the generation; children are then
/// asked one at a time). Parents and children are sorted into fronts by the constrained
/// `Dominance` and the best fronts survive, the last one cut by crowding. The budget counts
/// evaluated points.
public struct NSGA2<Point: Hashable & Sendable>: ExplorationStrategy {
    var b: Breeder<Point>
    let populationSize: Int
    let crossoverRate: Double
    public let planned: Int
    var evaluated = 0
    var population: [(point: Point, scores: Scores)] = []
    var rank: [Int] = []
    var crowd: [Double] = []
    /// The generation's children told so far (one at a time with `interject`), and its repeats
    /// in a row.
    var children: [(point: Point, scores: Scores)] = []
    var repeats = 0
    var started = false
    var over = false

    public init(_ c: StrategyContext<Point>) {
        b = Breeder(c)
        populationSize = c.population
        crossoverRate = c.crossoverRate
        planned = c.budget
    }

    public mutating func ask() -> [Proposal<Point>] {
        if over || evaluated >= planned { return [] }
        if !started {
            started = true
            return b.firstPopulation(min(populationSize, planned), firstID: evaluated)
        }
        let batch = b.interject == nil ? populationSize : 1
        var out: [Proposal<Point>] = []
        while out.count < batch && children.count + out.count < populationSize && evaluated + out.count < planned {
            if let p = b.interjected() { out.append(Proposal(id: evaluated + out.count, point: p)); continue }
            let pa = population[tournament()].point, pb = population[tournament()].point
            let base = Double(b.rng.below(1 << 20)) / Double(1 << 20) < crossoverRate ? b.v.crossover(pa, pb, &b.rng) : pa
            let c = b.mutant(of: base)
            if b.seen.contains(c) {
                if repeats < 50 { repeats += 1; continue }
                if !b.acceptRepeats { break }
            }
            repeats = 0
            b.seen.insert(c)
            out.append(Proposal(id: evaluated + out.count, point: c))
        }
        if out.isEmpty {
            // The generation ran out of new children: it ends, and the run with it when it has none.
            if children.isEmpty { over = true; return [] }
            select()
            return ask()
        }
        return out
    }

    mutating func tournament() -> Int {
        let a = b.rng.below(population.count), c = b.rng.below(population.count)
        if rank[a] != rank[c] { return rank[a] < rank[c] ? a : c }
        return crowd[a] >= crowd[c] ? a : c
    }

    public mutating func tell<S: Scored>(_ asked: [Proposal<Point>], _ scores: [S]) {
        evaluated += asked.count
        let told = zip(asked, scores).map { ($0.point, Scores($1)) }
        guard !population.isEmpty else {
            // The first population, in the order drawn.
            population = told
            (rank, crowd) = NonDominatedSorting.rankAndCrowding(population.map(\.scores))
            if population.isEmpty { over = true }
            return
        }
        children += told
        if b.interject == nil || children.count >= populationSize || evaluated >= planned { select() }
    }

    /// Environmental selection: the best fronts of parents and children, the last one cut by
    /// crowding; a new generation begins.
    mutating func select() {
        let all = population + children
        let (r, c) = NonDominatedSorting.rankAndCrowding(all.map(\.scores))
        let keep = all.indices.sorted { (r[$0], -c[$0], $0) < (r[$1], -c[$1], $1) }.prefix(populationSize)
        population = keep.map { all[$0] }
        rank = keep.map { r[$0] }
        crowd = keep.map { c[$0] }
        children = []
        repeats = 0
    }
}
