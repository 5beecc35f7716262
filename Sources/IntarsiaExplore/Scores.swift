/// What a strategy is told about an evaluated point: objective figures, all minimised, and one
/// constraint-violation measure. A strategy never sees the model, only these.
public protocol Scored {
    /// Meets every constraint.
    var feasible: Bool { get }
    /// How far an infeasible point misses its constraints (0 when feasible; smaller is better).
    /// Each problem states its measure: the NAS specs' summed relative overshoot, the number
    /// of violated FPGA constraints, the number of violated ASIC budgets and limits.
    var violation: Double { get }
    var objectiveCount: Int { get }
    /// Objective `k` (minimised; a figure to maximise is negated).
    func objective(_ k: Int) -> Double
}

/// Scores as plain values (what strategies keep of what they were told).
public struct Scores: Scored, Hashable, Sendable {
    public var objectives: [Double]
    public var feasible: Bool
    public var violation: Double

    public init(objectives: [Double], feasible: Bool = true, violation: Double = 0) {
        self.objectives = objectives
        self.feasible = feasible
        self.violation = violation
    }

    public init(_ s: some Scored) {
        self.init(objectives: (0..<s.objectiveCount).map(s.objective), feasible: s.feasible, violation: s.violation)
    }

    public var objectiveCount: Int { objectives.count }
    public func objective(_ k: Int) -> Double { objectives[k] }
}

/// The one Pareto dominance, with constraints (Deb, Pratap, Agarwal and Meyarivan, "A fast and
/// elitist multiobjective genetic algorithm: NSGA-II", IEEE TEC 6(2), 2002, section VI): a
/// feasible point dominates an infeasible one; of two infeasible points the one with the
/// smaller violation dominates (objectives aside); of two feasible ones, no worse in every
/// objective and better in one.
public enum Dominance {
    @inlinable @inline(__always)
    public static func dominates<A: Scored, B: Scored>(_ a: A, _ b: B) -> Bool {
        if a.feasible != b.feasible { return a.feasible }
        if !a.feasible { return a.violation < b.violation }
        return objectivesDominate(a, b)
    }

    /// Pareto dominance on the objectives alone. A NaN objective (a figure the model could not
    /// work out) is worse than any number and ties only with another NaN, so such a point never
    /// dominates a point with a number there.
    @inlinable @inline(__always)
    public static func objectivesDominate<A: Scored, B: Scored>(_ a: A, _ b: B) -> Bool {
        var better = false
        for k in 0..<a.objectiveCount {
            let x = a.objective(k), y = b.objective(k)
            if x < y { better = true; continue }
            if x <= y { continue }
            // x > y, or a NaN on one side or both.
            if x.isNaN { if y.isNaN { continue }; return false }
            if y.isNaN { better = true; continue }
            return false
        }
        return better
    }

    /// No worse in every objective (dominates on the objectives, or ties): one pass. NaN as in
    /// `objectivesDominate`.
    @inlinable @inline(__always)
    public static func weaklyDominates<A: Scored, B: Scored>(_ a: A, _ b: B) -> Bool {
        for k in 0..<a.objectiveCount {
            let x = a.objective(k), y = b.objective(k)
            if !(x <= y) && !y.isNaN { return false }
        }
        return true
    }
}
