import IntarsiaCore

/// A point a strategy asks to have evaluated, with its id: its place in the run's sequence of
/// evaluated points (for an exhaustive run, its index in the space).
public struct Proposal<Point: Hashable>: Hashable {
    public var id: Int
    public var point: Point
    public init(id: Int, point: Point) {
        self.id = id
        self.point = point
    }
}

extension Proposal: Sendable where Point: Sendable {}

/// An ask/tell search strategy (Timeloop's `Next`/`Report`): it proposes points and is told
/// their scores (objectives and constraint violation), in the order it asked. It never sees a
/// model, so one strategy serves FPGA, ASIC and NAS problems alike.
public protocol ExplorationStrategy<Point> {
    associatedtype Point: Hashable & Sendable
    /// The next points to evaluate; empty when the run is over.
    mutating func ask() -> [Proposal<Point>]
    /// The scores of the points last asked, in the same order.
    mutating func tell<S: Scored>(_ asked: [Proposal<Point>], _ scores: [S])
    /// Points skipped because the pruning hook proved them infeasible.
    var pruned: Int { get }
    /// How many points the run means to evaluate (for progress reports).
    var planned: Int { get }
}

extension ExplorationStrategy {
    public var pruned: Int { 0 }
}

/// How a strategy draws, varies and fixes points: hooks the caller supplies (for an indexed
/// space, `Variation.digits(of:)`). `repair` moves a point towards feasibility by what the
/// caller knows without a full evaluation (the NAS cost-model repair); identity by default.
public struct Variation<Point> {
    public var random: (inout SplitMix64) -> Point
    /// A variant of a point (one changed choice, or per-digit mutation).
    public var mutate: (Point, inout SplitMix64) -> Point
    /// A child of two parents.
    public var crossover: (Point, Point, inout SplitMix64) -> Point
    public var repair: (Point, inout SplitMix64) -> Point

    public init(random: @escaping (inout SplitMix64) -> Point, mutate: @escaping (Point, inout SplitMix64) -> Point,
                crossover: @escaping (Point, Point, inout SplitMix64) -> Point = { a, _, _ in a },
                repair: @escaping (Point, inout SplitMix64) -> Point = { p, _ in p }) {
        self.random = random
        self.mutate = mutate
        self.crossover = crossover
        self.repair = repair
    }
}

/// What a strategy is built from: the run's budget and seed and the caller's hooks.
public struct StrategyContext<Point: Hashable & Sendable> {
    /// Most points to evaluate.
    public var budget: Int
    public var seed: UInt64
    /// Population of the evolutionary strategies.
    public var population: Int
    /// NSGA-II: probability that a child is a crossover of its parents (then mutated).
    public var crossoverRate = 0.9
    /// Regularised evolution: how many members a parent is picked from.
    public var sample = 10
    public var variation: Variation<Point>
    /// The space's points in order, for exhaustive runs (nil: the space cannot be enumerated).
    public var enumerate: ((Int) -> Point)?
    /// Points in the enumerable space.
    public var count: Int?
    /// A lower bound that proves a point infeasible without evaluating it.
    public var prune: (@Sendable (Point) -> Bool)?
    /// Threads for the pruning hook of exhaustive runs.
    public var workers: Int = Parallel.allCores
    /// This share of an exhaustive or random run (`index` of `count`, 0-based).
    public var shard: (index: Int, count: Int)?
    /// Random sampling's draw (nil: the variation's `random`); an indexed space draws its flat
    /// index uniformly here.
    public var draw: ((inout SplitMix64) -> Point)?
    /// Random sampling draws distinct points (false: every draw is evaluated, as NAS samples).
    public var distinct = true
    /// A strategy that runs out of unseen points evaluates a repeat (NAS) instead of stopping.
    public var acceptRepeats = false
    /// A turn the caller takes before each of the evolutionary strategies' own steps (after the
    /// first population; again before each retry of a repeated child): a point to evaluate
    /// instead of the strategy's next child, drawn from the strategy's random stream (the NAS
    /// recombination of answered cells and its local-search tail). It joins the population as a
    /// child would; nil: the strategy's own step. With this hook a strategy asks one point at a
    /// time, since the caller's next turn may depend on the last answer.
    public var interject: ((inout SplitMix64) -> Point?)?
    /// The points one step from a point, in a fixed order (local search; an indexed space's
    /// `neighbours`).
    public var neighbours: ((Point) -> [Point])?
    /// The decisions a point is made of (how many values each has), in the order the REINFORCE
    /// controller emits them, and the point they make (an indexed space's part and digits).
    public var decisions: [Int]?
    public var decode: (([Int]) -> Point)?
    /// The controller's reward for a point's scores (nil: `RegularisedEvolution.fitness`).
    public var reward: ((Scores) -> Double)?
    /// The point the controller evaluates instead of one it keeps sampling, given the points
    /// seen (nil: no unseen variant); nil hook: `Reinforce`'s mutations.
    public var revisit: ((Point, Set<Point>, inout SplitMix64) -> Point?)?
    public var controller = ControllerSettings()

    public init(budget: Int, seed: UInt64, population: Int = 64, variation: Variation<Point>) {
        self.budget = budget
        self.seed = seed
        self.population = population
        self.variation = variation
    }
}

/// Strategies built by name (the names specs use): the standard ones, and any a caller
/// registers (a test registers a toy strategy).
public struct StrategyRegistry<Point: Hashable & Sendable> {
    public typealias Builder = (StrategyContext<Point>) throws -> any ExplorationStrategy<Point>
    public private(set) var builders: [String: Builder] = [:]
    /// Names in registration order.
    public private(set) var names: [String] = []

    public init() {}

    public mutating func register(_ name: String, _ build: @escaping Builder) {
        if builders[name] == nil { names.append(name) }
        builders[name] = build
    }

    public struct UnknownStrategy: Error, CustomStringConvertible {
        public var name: String
        public var accepted: [String]
        public var description: String { "unknown strategy '\(name)' (accepted: \(accepted.joined(separator: ", ")))" }
    }

    public func make(_ name: String, _ context: StrategyContext<Point>) throws -> any ExplorationStrategy<Point> {
        guard let b = builders[name] else { throw UnknownStrategy(name: name, accepted: names) }
        return try b(context)
    }

    /// exhaustive, random, nsga2, evolution, local, reinforce.
    public static var standard: StrategyRegistry {
        var r = StrategyRegistry()
        r.register(StrategyName.exhaustive) { try Exhaustive($0) }
        r.register(StrategyName.random) { RandomSampling($0) }
        r.register(StrategyName.nsga2) { NSGA2($0) }
        r.register(StrategyName.evolution) { RegularisedEvolution($0) }
        r.register(StrategyName.local) { try LocalSearch($0) }
        r.register(StrategyName.reinforce) { try Reinforce($0) }
        return r
    }
}

/// The standard strategies' names, spelled once.
public enum StrategyName {
    public static let exhaustive = "exhaustive"
    public static let random = "random"
    public static let nsga2 = "nsga2"
    public static let evolution = "evolution"
    public static let local = "local"
    public static let reinforce = "reinforce"
}
