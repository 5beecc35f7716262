import IntarsiaCore

/// Every point of an enumerable space in index order, skipping those the pruning hook proves
/// infeasible (the hook runs on the context's workers, a stretch of points at a time). A point's
/// id is its index. With a shard, only the indices `index` modulo `count`.
public struct Exhaustive<Point: Hashable & Sendable>: ExplorationStrategy {
    let enumerate: (Int) -> Point
    let total: Int
    let prune: (@Sendable (Point) -> Bool)?
    let workers: Int
    let shard: (index: Int, count: Int)?
    var next = 0
    public private(set) var pruned = 0
    /// Indices in this run (the shard's share), pruned or not.
    let expected: Int
    /// The indices not pruned so far and those not yet looked at.
    public var planned: Int { expected - pruned }

    public struct NotEnumerable: Error, CustomStringConvertible {
        public var description: String { "an exhaustive run needs a space whose points can be listed" }
    }

    /// Indices looked at per ask.
    static var stretch: Int { 4096 }

    public init(_ c: StrategyContext<Point>) throws {
        guard let enumerate = c.enumerate, let total = c.count else { throw NotEnumerable() }
        self.enumerate = enumerate
        self.total = total
        self.prune = c.prune
        self.workers = c.workers
        self.shard = c.shard
        // Indices i < total with i % count == index: no intermediate sum, so any i/N (N up to Int.max) is safe.
        expected = c.shard.map { $0.index < total ? (total - 1 - $0.index) / $0.count + 1 : 0 } ?? total
    }

    public mutating func ask() -> [Proposal<Point>] {
        while next < total {
            let end = next + min(Self.stretch, total - next)  // no overflow for a space of Int.max points
            var ids = Array(next..<end)
            if let s = shard { ids.removeAll { $0 % s.count != s.index } }
            next = end
            let points = ids.map(enumerate)
            var keep = [Bool](repeating: true, count: ids.count)
            if let prune {
                keep = Parallel.map(points.count, workers: workers, sequentialBelow: 1024) { !prune(points[$0]) }
            }
            var out: [Proposal<Point>] = []
            out.reserveCapacity(ids.count)
            for k in ids.indices {
                if keep[k] { out.append(Proposal(id: ids[k], point: points[k])) } else { pruned += 1 }
            }
            if !out.isEmpty { return out }
        }
        return []
    }

    public mutating func tell<S: Scored>(_ asked: [Proposal<Point>], _ scores: [S]) {}
}
