import IntarsiaCore

/// Points drawn by the variation's `random` hook, `budget` of them. Distinct draws (the
/// default) skip repeats and stop after 20 draws per wanted point; a draw the pruning hook
/// proves infeasible is skipped and takes no id. A point's id is its place among the kept
/// draws; with a shard, only the ids `index` modulo `count` are evaluated (each shard draws the
/// whole sequence, so shards merged by id are the single run).
public struct RandomSampling<Point: Hashable & Sendable>: ExplorationStrategy {
    var rng: SplitMix64
    let draw: (inout SplitMix64) -> Point
    let prune: (@Sendable (Point) -> Bool)?
    let shard: (index: Int, count: Int)?
    let distinct: Bool
    public let planned: Int
    var seen = Set<Point>()
    var drawn = 0
    var attempts = 0
    var position = 0
    public private(set) var pruned = 0

    public init(_ c: StrategyContext<Point>) {
        rng = SplitMix64(seed: c.seed)
        draw = c.draw ?? c.variation.random
        prune = c.prune
        shard = c.shard
        distinct = c.distinct
        planned = distinct ? min(c.budget, c.count ?? c.budget) : c.budget
    }

    public mutating func ask() -> [Proposal<Point>] {
        var out: [Proposal<Point>] = []
        while out.count < 4096 && (distinct ? seen.count : drawn) < planned && attempts < planned * 20 {
            attempts += 1
            drawn += 1
            let p = draw(&rng)
            if distinct { guard seen.insert(p).inserted else { continue } }
            if let prune, prune(p) { pruned += 1; continue }
            defer { position += 1 }
            if let s = shard, position % s.count != s.index { continue }
            out.append(Proposal(id: position, point: p))
        }
        return out
    }

    public mutating func tell<S: Scored>(_ asked: [Proposal<Point>], _ scores: [S]) {}
}
