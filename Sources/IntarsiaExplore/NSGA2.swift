import IntarsiaCore

/// NSGA-II (Deb, Pratap, Agarwal and Meyarivan, IEEE TEC 6(2), 2002) over any points the
/// variation hooks can draw, mutate, cross and repair. A first population of distinct random
/// points (repaired; 1,000 repeats in a row end the attempt); then each generation breeds as
/// many children as the population: binary tournaments on (front, crowding), a crossover of the
/// two parents with probability `crossoverRate`, a mutation and a repair. A child already seen is
/// drawn again, up to 50 times in a row; then the repeat is evaluated when `acceptRepeats` (the
/// NAS runs) or the generation ends (and a generation without children ends the run). Parents
/// and children are sorted into fronts by the constrained `Dominance` and the best fronts
/// survive, the last one cut by crowding. The budget counts evaluated points.
public struct NSGA2<Point: Hashable & Sendable>: ExplorationStrategy {
    var rng: SplitMix64
    let v: Variation<Point>
    let populationSize: Int
    let crossoverRate: Double
    let acceptRepeats: Bool
    public let planned: Int
    var seen = Set<Point>()
    var evaluated = 0
    var population: [(point: Point, scores: Scores)] = []
    var rank: [Int] = []
    var crowd: [Double] = []
    var started = false
    var over = false

    public init(_ c: StrategyContext<Point>) {
        rng = SplitMix64(seed: c.seed)
        v = c.variation
        populationSize = c.population
        crossoverRate = c.crossoverRate
        acceptRepeats = c.acceptRepeats
        planned = c.budget
    }

    mutating func child(_ p: Point) -> Point { v.repair(p, &rng) }

    public mutating func ask() -> [Proposal<Point>] {
        if over || evaluated >= planned { return [] }
        var out: [Proposal<Point>] = []
        if !started {
            started = true
            var misses = 0
            while evaluated + out.count < min(populationSize, planned) && misses < 1000 {
                let d = child(v.random(&rng))
                if seen.contains(d) { misses += 1; continue }
                misses = 0
                seen.insert(d)
                out.append(Proposal(id: evaluated + out.count, point: d))
            }
            return out
        }
        var repeats = 0
        while out.count < populationSize && evaluated + out.count < planned {
            let a = population[tournament()].point, b = population[tournament()].point
            let base = Double(rng.below(1 << 20)) / Double(1 << 20) < crossoverRate ? v.crossover(a, b, &rng) : a
            let c = child(v.mutate(base, &rng))
            if seen.contains(c) {
                if repeats < 50 { repeats += 1; continue }
                if !acceptRepeats { break }
            }
            repeats = 0
            seen.insert(c)
            out.append(Proposal(id: evaluated + out.count, point: c))
        }
        if out.isEmpty { over = true }
        return out
    }

    mutating func tournament() -> Int {
        let a = rng.below(population.count), b = rng.below(population.count)
        if rank[a] != rank[b] { return rank[a] < rank[b] ? a : b }
        return crowd[a] >= crowd[b] ? a : b
    }

    public mutating func tell<S: Scored>(_ asked: [Proposal<Point>], _ scores: [S]) {
        evaluated += asked.count
        let all = population + zip(asked, scores).map { ($0.point, Scores($1)) }
        let (r, c) = NonDominatedSorting.rankAndCrowding(all.map(\.scores))
        let keep = all.indices.sorted { (r[$0], -c[$0], $0) < (r[$1], -c[$1], $1) }.prefix(populationSize)
        population = keep.map { all[$0] }
        rank = keep.map { r[$0] }
        crowd = keep.map { c[$0] }
        if population.isEmpty { over = true }
    }
}
