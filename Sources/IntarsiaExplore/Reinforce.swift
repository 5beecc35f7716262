import IntarsiaCore

/// The REINFORCE controller's settings (NASAIC's: Jiang et al., DAC 2020).
public struct ControllerSettings: Sendable {
    public var hidden = 32
    public var batch = 8
    public var learningRate = 0.05
    /// Weight of the policy's entropy in the objective (keeps it exploring).
    public var entropy = 0.01
    /// The baseline moves this fraction of the way to each batch's mean reward.
    public var baselineDecay = 0.1
    public init() {}
}

/// NASAIC's REINFORCE controller (see `RecurrentPolicy`) over the points a list of decisions
/// makes (`StrategyContext.decisions` and `decode`; an indexed space's part and digits): batches
/// of points sampled from the policy, each rewarded by `reward` (default: the first objective,
/// infeasible points by their violation, as `RegularisedEvolution.fitness`), the policy moved
/// towards the batch's rewards above a moving-average baseline. A point sampled again is not
/// evaluated again: its reward is remembered and learned from. After 20 such repeats in a row
/// the `revisit` hook's variant of the repeated point (default: mutations, repaired, until one
/// not seen, at most 100) is evaluated instead, not learned from. Before each batch the caller's
/// `interject` hook may take the turn; its point's reward is remembered like a variant's. A policy that has sampled 2,000 times without a new
/// evaluation has exhausted what it reaches: the run ends. One point per ask.
public struct Reinforce<Point: Hashable & Sendable>: ExplorationStrategy {
    var b: Breeder<Point>
    var policy: RecurrentPolicy
    let decode: ([Int]) -> Point
    let reward: (Scores) -> Double
    let revisit: (Point, Set<Point>, inout SplitMix64) -> Point?
    let settings: ControllerSettings
    public let planned: Int
    var evaluated = 0
    var remembered: [Point: Double] = [:]
    var batch: [(RecurrentPolicy.Episode, Double)] = []
    var inBatch = false
    var baseline: Double?
    var repeats = 0
    /// Samples drawn, and those that repeated a point already evaluated.
    public private(set) var samples = 0
    public private(set) var duplicates = 0
    var evaluationsSeen = 0, samplesThen = 0
    enum Pending { case aid(Point), variant(Point), own(RecurrentPolicy.Episode, Point) }
    var pending: Pending?
    var over = false

    /// The controller needs the decisions a point is made of.
    public struct NoDecisions: Error, CustomStringConvertible {
        public var description: String { "the REINFORCE controller needs the decisions of a point (StrategyContext.decisions and decode)" }
    }

    /// With the decisions and their decoding from the context (the registry's builder).
    public init(_ c: StrategyContext<Point>) throws {
        guard let decisions = c.decisions, let decode = c.decode else { throw NoDecisions() }
        self.init(c, decisions: decisions, decode: decode)
    }

    public init(_ c: StrategyContext<Point>, decisions: [Int], decode: @escaping ([Int]) -> Point) {
        b = Breeder(c)
        policy = RecurrentPolicy(choices: decisions, hidden: c.controller.hidden, rng: &b.rng)
        self.decode = decode
        reward = c.reward ?? { RegularisedEvolution<Point>.fitness($0) }
        let v = c.variation
        revisit = c.revisit ?? { p, seen, rng in
            var x = p
            for _ in 0..<100 where seen.contains(x) { x = v.repair(v.mutate(x, &rng), &rng) }
            return seen.contains(x) ? nil : x
        }
        settings = c.controller
        planned = c.budget
    }

    public mutating func ask() -> [Proposal<Point>] {
        while !over {
            if !inBatch {
                if evaluated >= planned { over = true; break }
                if evaluated > evaluationsSeen { evaluationsSeen = evaluated; samplesThen = samples }
                if samples - samplesThen > 2_000 { over = true; break }
                if let p = b.interjected() { pending = .aid(p); return [Proposal(id: evaluated, point: p)] }
                inBatch = true
                batch = []
            }
            if batch.count < settings.batch && evaluated < planned {
                if let p = sample() { return [Proposal(id: evaluated, point: p)] }
                continue
            }
            inBatch = false
            guard !batch.isEmpty else { over = true; break }
            let mean = batch.reduce(0) { $0 + $1.1 } / Double(batch.count)
            let base = baseline ?? mean
            policy.update(batch.map { ($0.0, $0.1 - base) }, learningRate: settings.learningRate, entropy: settings.entropy)
            baseline = base + settings.baselineDecay * (mean - base)
        }
        return []
    }

    /// One sample of the policy: its point when it is to be evaluated (new, or the variant of
    /// one repeated 20 times in a row), nil when its remembered reward joined the batch.
    mutating func sample() -> Point? {
        let ep = policy.sample(&b.rng)
        samples += 1
        let d = decode(ep.actions)
        guard let r = remembered[d] else {
            repeats = 0
            b.seen.insert(d)
            pending = .own(ep, d)
            return d
        }
        batch.append((ep, r))
        duplicates += 1
        repeats += 1
        guard repeats >= 20 else { return nil }
        repeats = 0
        guard let x = revisit(d, b.seen, &b.rng), !b.seen.contains(x) else { return nil }
        b.seen.insert(x)
        pending = .variant(x)
        return x
    }

    public mutating func tell<S: Scored>(_ asked: [Proposal<Point>], _ scores: [S]) {
        for s in scores {
            evaluated += 1
            switch pending {
            // A caller's point (aid) and a variant are remembered, not learned from: the policy
            // that samples one later learns from its reward without evaluating it again.
            case .variant(let x), .aid(let x): remembered[x] = reward(Scores(s))
            case .own(let ep, let d):
                let r = reward(Scores(s))
                remembered[d] = r
                batch.append((ep, r))
            case nil: break
            }
            pending = nil
        }
    }
}
