import IntarsiaCore

/// Local search: first-improvement hill climbing over the caller's neighbours
/// (`StrategyContext.neighbours`; for an indexed space, `IndexedSpace.neighbours`) with random
/// restarts. It starts from a random point (repaired); it probes the current point's neighbours
/// not seen yet, from a random one onwards in the hook's order, and moves to the first that is
/// fitter (`RegularisedEvolution.fitness`: the first objective, infeasible points by their
/// violation); when every neighbour has been probed it restarts from a random point not seen
/// (1,000 draws that were all seen end the run). One point per ask: each depends on the last.
public struct LocalSearch<Point: Hashable & Sendable>: ExplorationStrategy {
    var b: Breeder<Point>
    let neighbours: (Point) -> [Point]
    public let planned: Int
    var evaluated = 0
    var current: (point: Point, fitness: Double)?
    var untried: [Point] = []
    var over = false

    /// A local search needs the neighbours hook.
    public struct NoNeighbours: Error, CustomStringConvertible {
        public var description: String { "local search needs the neighbours of a point (StrategyContext.neighbours)" }
    }

    public init(_ c: StrategyContext<Point>) throws {
        guard let n = c.neighbours else { throw NoNeighbours() }
        b = Breeder(c)
        neighbours = n
        planned = c.budget
    }

    public mutating func ask() -> [Proposal<Point>] {
        if over || evaluated >= planned { return [] }
        while let p = untried.popLast() {
            if b.seen.contains(p) { continue }
            b.seen.insert(p)
            return [Proposal(id: evaluated, point: p)]
        }
        // A (re)start: a random point not seen yet.
        guard let start = b.firstPopulation(1, firstID: evaluated).first else { over = true; return [] }
        current = nil
        return [start]
    }

    public mutating func tell<S: Scored>(_ asked: [Proposal<Point>], _ scores: [S]) {
        for (p, s) in zip(asked, scores) {
            evaluated += 1
            let f = RegularisedEvolution<Point>.fitness(s)
            guard current == nil || f > current!.fitness else { continue }
            current = (p.point, f)
            // Probed from a random neighbour onwards (popped from the end).
            let all = neighbours(p.point)
            let first = all.isEmpty ? 0 : b.rng.below(all.count)
            untried = (0..<all.count).map { all[(first + $0) % all.count] }.reversed()
        }
    }
}
