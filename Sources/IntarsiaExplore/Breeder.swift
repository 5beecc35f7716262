import IntarsiaCore

/// What the evolutionary strategies share: their random stream, the caller's variation hooks,
/// the points asked so far, and the first population.
struct Breeder<Point: Hashable & Sendable> {
    var rng: SplitMix64
    let v: Variation<Point>
    let acceptRepeats: Bool
    let interject: ((inout SplitMix64) -> Point?)?
    var seen = Set<Point>()

    init(_ c: StrategyContext<Point>) {
        rng = SplitMix64(seed: c.seed)
        v = c.variation
        acceptRepeats = c.acceptRepeats
        interject = c.interject
    }

    /// The caller's turn (`StrategyContext.interject`): its point, marked seen, or nil.
    mutating func interjected() -> Point? {
        guard let turn = interject, let p = turn(&rng) else { return nil }
        seen.insert(p)
        return p
    }

    /// A random point, repaired.
    mutating func random() -> Point { v.repair(v.random(&rng), &rng) }

    /// A variant of `p` (mutated, then repaired).
    mutating func mutant(of p: Point) -> Point { v.repair(v.mutate(p, &rng), &rng) }

    /// Up to `size` distinct random points, ids from `firstID` (fewer when the space has fewer:
    /// 1,000 draws in a row that were all seen end the attempt).
    mutating func firstPopulation(_ size: Int, firstID: Int) -> [Proposal<Point>] {
        var out: [Proposal<Point>] = []
        var misses = 0
        while out.count < size && misses < 1000 {
            let d = random()
            if seen.contains(d) { misses += 1; continue }
            misses = 0
            seen.insert(d)
            out.append(Proposal(id: firstID + out.count, point: d))
        }
        return out
    }
}
