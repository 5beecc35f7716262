import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaGLPK

/// Splits a lane budget among the MAC tasks of a pipeline (a dataflow design, or a pipelined
/// stage): one option per task (its lanes, the BRAM18K and URAM its weight buffers need, the
/// cycles it takes), minimising the initiation interval (the slowest task) under the budgets:
///
///     min z   s.t.  z >= Σ_o cycles[t][o]·x[t][o]   for every task t
///                   Σ_o x[t][o] = 1                  for every task t
///                   Σ_t,o lanes[t][o]·x[t][o] <= lane budget
///                   Σ_t,o bram[t][o]·x[t][o] <= BRAM budget,   likewise URAM
///
/// `solve` decides it exactly without a general integer program wherever the structure allows
/// (`exact`: bisection over the candidate intervals, each task at its cheapest option meeting
/// the interval), and hands the rest to GLPK (`milp`, DNNBuilder-style multiple-choice 0-1
/// program), whose status (optimal, or feasible with its gap and bound) the solution carries.
public enum StageBalancer {
    /// A task's lanes, buffer blocks and cycles (`LaneOption`, worked out by the cost model).
    public typealias Option = LaneOption

    public struct Problem: Sendable {
        public var tasks: [String]
        public var options: [[Option]]
        public var laneBudget: Int
        public var bramBudget: Double
        public var uramBudget: Double
        public init(tasks: [String], options: [[Option]], laneBudget: Int, bramBudget: Double = .infinity, uramBudget: Double = .infinity) {
            self.tasks = tasks
            self.options = options
            self.laneBudget = laneBudget
            self.bramBudget = bramBudget
            self.uramBudget = uramBudget
        }
    }

    public enum Method: String, Sendable {
        case bisection = "exact bisection"
        case milp = "GLPK"
    }

    public struct Solution: Sendable {
        /// Index into each task's options, as given in the problem.
        public var choice: [Int]
        public var lanes: [Int]
        public var initiationInterval: Double
        /// `.optimal` when proven (always for the bisection); `.feasible` when GLPK stopped early.
        public var status: SolveResult.Status
        public var method: Method
        /// Relative gap to `bound` (0 when optimal).
        public var gap: Double?
        /// A lower bound on the initiation interval, cycles (equal to it when optimal).
        public var bound: Double?
        public var seconds: Double
        public var note: String

        /// The status every output shows.
        public var splitStatus: LaneSplitStatus {
            LaneSplitStatus(state: status == .optimal ? .optimal : .feasible, method: method.rawValue, gap: gap,
                            boundCycles: bound, detail: status == .optimal ? "" : note)
        }

        /// The exact bisection's solution at `interval`.
        static func bisected(choice: [Int], lanes: [Int], interval: Double) -> Solution {
            Solution(choice: choice, lanes: lanes, initiationInterval: interval, status: .optimal, method: .bisection,
                     gap: 0, bound: interval, seconds: 0, note: "")
        }
    }

    /// No split: proven when nothing meets the budgets, not proven when GLPK stopped first.
    public struct Infeasible: Error, CustomStringConvertible {
        public var description: String
        public var proven = true
    }

    /// The least initiation interval: exact bisection when it decides the problem, else GLPK.
    public static func solve(_ problem: Problem, timeLimitSeconds: Double = 10) throws -> Solution {
        switch exact(problem) {
        case .optimal(let choice, let interval):
            return .bisected(choice: choice, lanes: zip(problem.options, choice).map { $0[$1].lanes }, interval: interval)
        case .infeasible(let why):
            throw Infeasible(description: why)
        case .undecided:
            return try milp(problem, timeLimitSeconds: timeLimitSeconds)
        }
    }

    /// The balancing problem of a dataflow design: every MAC task, lane options in steps of
    /// `lanes / granules`, every power of two below the step, and the task's lanes under the
    /// uniform and the proportional split (so the balanced design is never worse than either);
    /// cycles and buffers from the cost model.
    public static func problem(_ model: FPGAModel, _ point: DesignPoint, granules: Int = 32, only: Set<Int>? = nil) -> Problem {
        let w = model.compiled
        let lanesList = laneCounts(lanes: point.lanes, granules: granules)
        var members: [Int] = []
        var macSum = 0.0
        for i in w.tasks.indices where w.tasks[i].isMAC && (only?.contains(i) ?? true) {
            members.append(i)
            macSum += w.tasks[i].macs
        }
        let costs = model.macTaskCosts(point, sharing: members.count)
        let uniform = max(1, point.lanes / max(members.count, 1))
        var names: [String] = []
        var options: [[Option]] = []
        names.reserveCapacity(members.count)
        options.reserveCapacity(members.count)
        var computed: [(task: Int, proportional: Int, options: [Option])] = []
        for i in members {
            names.append(w.names[i])
            let proportional = proportionalLanes(point.lanes, macs: w.tasks[i].macs, macSum: macSum)
            // A task like one already costed (same facts, same lane counts) shares its options.
            if let same = computed.first(where: { $0.proportional == proportional && costs.sameOptions($0.task, i) }) {
                options.append(same.options)
                continue
            }
            let opts = costs.options(i, lanes: merged(lanesList, uniform, proportional))
            computed.append((i, proportional, opts))
            options.append(opts)
        }
        let mem = model.balancerMemoryBudget(point)
        return Problem(tasks: names, options: options, laneBudget: point.lanes, bramBudget: mem.bram18k, uramBudget: mem.uram)
    }

    /// The lane counts every task may take (before its uniform and proportional lanes are
    /// added), ascending without a set: the powers of two below the step `lanes / granules`,
    /// then the step's multiples up to `lanes`.
    static func laneCounts(lanes: Int, granules: Int) -> [Int] {
        let step = max(1, lanes / granules)
        var out: [Int] = []
        out.reserveCapacity(granules + 12)
        var pow2 = 1
        while pow2 < step { out.append(pow2); pow2 *= 2 }
        for k in 1...max(granules, 1) where k * step <= lanes { out.append(k * step) }
        return out
    }

    /// The proportional split's lanes of a task of `macs` among tasks of `macSum` MACs.
    @inline(__always)
    static func proportionalLanes(_ lanes: Int, macs: Double, macSum: Double) -> Int {
        max(1, Int((Double(lanes) * macs / macSum).rounded(.down)))
    }

    /// `sorted` (ascending, distinct) with `a` and `b` inserted where missing.
    static func merged(_ sorted: [Int], _ a: Int, _ b: Int) -> [Int] {
        var out = sorted
        for x in a == b ? [a] : [a, b] {
            var lo = 0, hi = out.count
            while lo < hi { let mid = (lo + hi) / 2; if out[mid] < x { lo = mid + 1 } else { hi = mid } }
            if lo == out.count || out[lo] != x { out.insert(x, at: lo) }
        }
        return out
    }

    /// The balancing problem of one pipelined stage of a reconfigurable design: its MAC tasks
    /// share the design's lanes and the memory's channels.
    public static func problem(_ model: FPGAModel, _ point: DesignPoint, stage: [Int], granules: Int = 32) -> Problem {
        var p = problem(model, point, granules: granules, only: Set(stage))
        p.laneBudget = point.lanes
        return p
    }

    /// Lanes per task index (zero for the tasks outside `members`) from a solution.
    static func lanesByTask(_ model: FPGAModel, _ members: [Int], _ s: Solution) -> [Double] {
        var lanes = [Double](repeating: 0, count: model.compiled.tasks.count)
        for (k, i) in members.enumerated() { lanes[i] = Double(s.lanes[k]) }
        return lanes
    }

    /// A balanced split of `members` (MAC task indices, ascending) with its status; a failure
    /// (no split fits, or GLPK found none) says why, and whether it is proven.
    static func split(_ model: FPGAModel, _ members: [Int], _ p: Problem) -> BalancedSplit {
        do {
            let s = try solve(p)
            return BalancedSplit(lanes: lanesByTask(model, members, s), status: s.splitStatus)
        } catch let e as Infeasible {
            return BalancedSplit(lanes: nil, status: e.proven ? .infeasible(e.description) : .fallback(e.description))
        } catch {
            return BalancedSplit(lanes: nil, status: .fallback("\(error)"))
        }
    }

    /// A balancer for `FPGAModel.stageBalancer`: lanes per task index of one stage (none: no
    /// balanced split for this stage), with how they were found.
    public static let forStage: @Sendable (FPGAModel, DesignPoint, [Int]) -> BalancedSplit = { model, point, stage in
        splitForStage(model, point, stage)
    }

    /// One stage's balanced split with its status.
    public static func splitForStage(_ model: FPGAModel, _ point: DesignPoint, _ stage: [Int]) -> BalancedSplit {
        let members = stage.sorted().filter { model.compiled.tasks[$0].isMAC }
        return directSplit(model, point, members) { split(model, members, problem(model, point, stage: stage)) }
    }

    /// A balancer for `FPGAModel.laneBalancer`: lanes per task index, with how they were found.
    public static let forModel: @Sendable (FPGAModel, DesignPoint) -> BalancedSplit = { model, point in
        let members = model.compiled.tasks.indices.filter { model.compiled.tasks[$0].isMAC }
        return directSplit(model, point, members) { split(model, members, problem(model, point)) }
    }
}
