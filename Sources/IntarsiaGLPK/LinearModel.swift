/// A mixed-integer linear program as plain values: variables with bounds and kinds, sparse
/// linear constraints, a linear objective. Nothing of GLPK is held; `GLPK.solve` builds, solves
/// and frees the solver's problem in one guarded call.
public struct LinearModel: Sendable {
    public enum Kind: Sendable, Equatable { case continuous, integer, binary }
    public enum Sense: Sendable { case minimize, maximize }

    public struct Variable: Sendable {
        public var name: String
        public var lower: Double
        public var upper: Double
        public var kind: Kind
        public var cost: Double
    }

    public struct Constraint: Sendable {
        public var name: String
        public var terms: [(variable: Int, coefficient: Double)]
        public var lower: Double
        public var upper: Double
    }

    public var sense: Sense
    public private(set) var variables: [Variable] = []
    public private(set) var constraints: [Constraint] = []
    public var objectiveConstant: Double = 0

    public init(sense: Sense = .minimize) { self.sense = sense }

    /// Adds a variable; returns its index. Binary variables are 0/1 whatever the bounds.
    @discardableResult
    public mutating func addVariable(_ name: String, lower: Double = 0, upper: Double = .infinity, kind: Kind = .continuous, cost: Double = 0) -> Int {
        variables.append(Variable(name: name, lower: kind == .binary ? 0 : lower, upper: kind == .binary ? 1 : upper, kind: kind, cost: cost))
        return variables.count - 1
    }

    /// Adds `lower <= Σ coefficient·variable <= upper`; use ±infinity for one-sided rows.
    @discardableResult
    public mutating func addConstraint(_ name: String, _ terms: [(Int, Double)], lower: Double = -.infinity, upper: Double = .infinity) -> Int {
        constraints.append(Constraint(name: name, terms: terms.map { (variable: $0.0, coefficient: $0.1) }, lower: lower, upper: upper))
        return constraints.count - 1
    }

    public mutating func setCost(_ variable: Int, _ cost: Double) { variables[variable].cost = cost }

    public var integerVariableCount: Int { variables.filter { $0.kind != .continuous }.count }

    /// The objective of an assignment (for checking a solver's answer or an incumbent).
    public func objective(of x: [Double]) -> Double {
        zip(variables, x).reduce(objectiveConstant) { $0 + $1.0.cost * $1.1 }
    }

    /// Whether an assignment meets every bound, kind and constraint within `tolerance`.
    public func isFeasible(_ x: [Double], tolerance: Double = 1e-6) -> Bool {
        guard x.count == variables.count else { return false }
        for (v, value) in zip(variables, x) {
            if value < v.lower - tolerance || value > v.upper + tolerance { return false }
            if v.kind != .continuous && abs(value - value.rounded()) > tolerance { return false }
        }
        for c in constraints {
            let s = c.terms.reduce(0) { $0 + $1.coefficient * x[$1.variable] }
            if s < c.lower - tolerance || s > c.upper + tolerance { return false }
        }
        return true
    }
}

/// Solver settings.
public struct SolveOptions: Sendable {
    /// Stop after this many seconds (the answer is then "feasible, not proven" or "no solution").
    public var timeLimitSeconds: Double? = 10
    /// Accept a solution within this relative gap of the bound (nil: prove optimality).
    public var relativeGap: Double?
    public var presolve: Bool = true
    /// A known feasible assignment handed to branch and bound as its first incumbent.
    public var incumbent: [Double]?
    /// Write the model in CPLEX LP format here before solving (`glpsol --lp FILE` re-solves it).
    public var lpPath: String?
    public init() {}
}

/// What a solve found.
public struct SolveResult: Sendable {
    public enum Status: String, Sendable, Codable {
        /// Proven optimal.
        case optimal
        /// A solution whose optimality is not proven (time limit or gap tolerance): see `gap`.
        case feasible
        case infeasible
        case unbounded
        /// Stopped before finding any solution.
        case noSolution = "no_solution"
    }
    public var status: Status
    public var objective: Double?
    public var values: [Double]
    /// Best bound on the objective (equal to it when optimal).
    public var bound: Double?
    /// Relative gap between objective and bound (0 when optimal).
    public var gap: Double?
    public var seconds: Double
    public var nodes: Int
    public var note: String

    public var hasSolution: Bool { status == .optimal || status == .feasible }
}

/// GLPK reported an internal error (it would have aborted the process); the message is GLPK's.
public struct GLPKError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "GLPK error: \(message)" }
}
