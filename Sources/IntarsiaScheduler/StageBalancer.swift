import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaGLPK

/// Splits a lane budget among the MAC tasks of a pipeline (a dataflow design, or a pipelined
/// stage): one option per task (its lanes, the DSPs, BRAM18K and URAM they need, the cycles they
/// take), minimising the initiation interval (the slowest task) under the budgets. A
/// multiple-choice integer program (DNNBuilder-style):
///
///     min z   s.t.  z >= Σ_o cycles[t][o]·x[t][o]   for every task t
///                   Σ_o x[t][o] = 1                  for every task t
///                   Σ_t,o lanes[t][o]·x[t][o] <= lane budget
///                   Σ_t,o bram[t][o]·x[t][o] <= BRAM budget,   likewise URAM
///
/// Options dominated by another of the same task (no fewer cycles for at least as many of every
/// resource) are dropped before the solver sees them.
public enum StageBalancer {
    public struct Option: Sendable, Equatable {
        public var lanes: Int
        public var bram18k: Double
        public var uram: Double
        public var cycles: Double
        public init(lanes: Int, bram18k: Double = 0, uram: Double = 0, cycles: Double) {
            self.lanes = lanes
            self.bram18k = bram18k
            self.uram = uram
            self.cycles = cycles
        }
    }

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

    public struct Solution: Sendable {
        /// Index into each task's (pruned) options.
        public var choice: [Int]
        public var lanes: [Int]
        public var initiationInterval: Double
        public var status: SolveResult.Status
        public var seconds: Double
    }

    public struct Infeasible: Error, CustomStringConvertible {
        public var description: String
    }

    /// Drops dominated options and sorts by lanes.
    public static func prune(_ options: [Option]) -> [Option] {
        let sorted = options.sorted { ($0.lanes, $0.cycles) < ($1.lanes, $1.cycles) }
        return sorted.filter { o in
            !sorted.contains { q in
                q != o && q.lanes <= o.lanes && q.bram18k <= o.bram18k && q.uram <= o.uram && q.cycles <= o.cycles
                    && (q.lanes < o.lanes || q.bram18k < o.bram18k || q.uram < o.uram || q.cycles < o.cycles)
            }
        }
    }

    public static func formulate(_ p: Problem) -> (LinearModel, [[Int]], Int) {
        var m = LinearModel(sense: .minimize)
        let z = m.addVariable("ii", lower: 0, cost: 1)
        var vars: [[Int]] = []
        for (t, opts) in p.options.enumerated() {
            let xs = opts.indices.map { m.addVariable("x_\(t)_\($0)", kind: .binary) }
            vars.append(xs)
            m.addConstraint("one_\(t)", xs.map { ($0, 1.0) }, lower: 1, upper: 1)
            m.addConstraint("ii_\(t)", [(z, 1.0)] + zip(xs, opts).map { ($0, -$1.cycles) }, lower: 0)
        }
        let all = zip(vars, p.options).flatMap { zip($0, $1) }
        m.addConstraint("lanes", all.map { ($0.0, Double($0.1.lanes)) }, upper: Double(p.laneBudget))
        if p.bramBudget.isFinite { m.addConstraint("bram18k", all.map { ($0.0, $0.1.bram18k) }, upper: p.bramBudget) }
        if p.uramBudget.isFinite { m.addConstraint("uram", all.map { ($0.0, $0.1.uram) }, upper: p.uramBudget) }
        return (m, vars, z)
    }

    public static func solve(_ problem: Problem, timeLimitSeconds: Double = 10, lpPath: String? = nil) throws -> Solution {
        var p = problem
        p.options = problem.options.map(prune)
        let (m, vars, _) = formulate(p)
        var o = SolveOptions()
        o.timeLimitSeconds = timeLimitSeconds
        o.lpPath = lpPath
        // Incumbent: every task at its fewest lanes, when that fits.
        let cheapest = p.options.map { _ in 0 }
        if fits(p, cheapest) {
            var x = [Double](repeating: 0, count: m.variables.count)
            x[0] = zip(p.options, cheapest).map { $0[$1].cycles }.max() ?? 0
            for (t, c) in cheapest.enumerated() { x[vars[t][c]] = 1 }
            o.incumbent = x
        }
        let r = try GLPK.solve(m, options: o)
        guard r.hasSolution else {
            let least = p.options.reduce(0) { $0 + ($1.map(\.lanes).min() ?? 0) }
            throw Infeasible(description: "no split fits: the tasks need at least \(least) lanes (budget \(p.laneBudget)) or more memory than the budget")
        }
        let choice = vars.map { xs in xs.firstIndex { r.values[$0] > 0.5 }! }
        return Solution(choice: choice, lanes: zip(p.options, choice).map { $0[$1].lanes },
                        initiationInterval: r.objective!, status: r.status, seconds: r.seconds)
    }

    static func fits(_ p: Problem, _ choice: [Int]) -> Bool {
        var lanes = 0, bram = 0.0, uram = 0.0
        for (opts, c) in zip(p.options, choice) { lanes += opts[c].lanes; bram += opts[c].bram18k; uram += opts[c].uram }
        return lanes <= p.laneBudget && bram <= p.bramBudget + 1e-9 && uram <= p.uramBudget + 1e-9
    }

    /// Every combination of options (for checking the program on small problems).
    public static func exhaustive(_ problem: Problem) -> Double? {
        var best: Double?
        var choice = [Int](repeating: 0, count: problem.options.count)
        func visit(_ t: Int) {
            if t == problem.options.count {
                if fits(problem, choice) {
                    let ii = zip(problem.options, choice).map { $0[$1].cycles }.max() ?? 0
                    best = min(best ?? .infinity, ii)
                }
                return
            }
            for o in problem.options[t].indices { choice[t] = o; visit(t + 1) }
        }
        visit(0)
        return best
    }

    /// With lanes as the only resource: the least initiation interval by bisection over the
    /// candidate intervals (each task takes the fewest lanes that meet it), another exact check.
    public static func bisection(_ problem: Problem) -> Double? {
        let candidates = Set(problem.options.flatMap { $0.map(\.cycles) }).sorted()
        func lanesNeeded(_ ii: Double) -> Int? {
            var total = 0
            for opts in problem.options {
                guard let l = opts.filter({ $0.cycles <= ii }).map(\.lanes).min() else { return nil }
                total += l
            }
            return total
        }
        var lo = 0, hi = candidates.count - 1
        guard hi >= 0, let n = lanesNeeded(candidates[hi]), n <= problem.laneBudget else { return nil }
        while lo < hi {
            let mid = (lo + hi) / 2
            if let n = lanesNeeded(candidates[mid]), n <= problem.laneBudget { hi = mid } else { lo = mid + 1 }
        }
        return candidates[lo]
    }

    /// The balancing problem of a dataflow design: every MAC task, lane options in steps of
    /// `lanes / granules`, every power of two below the step, and the task's lanes under the
    /// uniform and the proportional split (so the balanced design is never worse than either);
    /// cycles and buffers from the cost model.
    public static func problem(_ model: FPGAModel, _ point: DesignPoint, granules: Int = 32, only: Set<Int>? = nil) -> Problem {
        let w = model.compiled
        let step = max(1, point.lanes / granules)
        var candidates = Set((1...granules).map { $0 * step }.filter { $0 <= point.lanes })
        var pow2 = 1
        while pow2 < step { candidates.insert(pow2); pow2 *= 2 }
        let lanesList = candidates.sorted()
        var names: [String] = []
        var options: [[Option]] = []
        let members = w.tasks.indices.filter { w.tasks[$0].isMAC && (only?.contains($0) ?? true) }
        let macSum = members.reduce(0.0) { $0 + w.tasks[$1].macs }
        for i in members {
            names.append(w.names[i])
            let uniform = max(1, point.lanes / max(members.count, 1))
            let proportional = max(1, Int((Double(point.lanes) * w.tasks[i].macs / macSum).rounded(.down)))
            options.append(Set(lanesList + [uniform, proportional]).sorted().map { l in
                let b = model.taskBufferBlocks(i, lanes: l, point)
                return Option(lanes: l, bram18k: b.bram18k, uram: b.uram, cycles: model.dataflowTaskCycles(i, lanes: l, point, sharing: members.count))
            })
        }
        let mem = model.balancerMemoryBudget(point)
        return Problem(tasks: names, options: options, laneBudget: point.lanes, bramBudget: mem.bram18k, uramBudget: mem.uram)
    }

    /// The balancing problem of one pipelined stage of a reconfigurable design: its MAC tasks
    /// share the design's lanes and the memory's channels.
    public static func problem(_ model: FPGAModel, _ point: DesignPoint, stage: [Int], granules: Int = 32) -> Problem {
        var p = problem(model, point, granules: granules, only: Set(stage))
        p.laneBudget = point.lanes
        return p
    }

    /// A balancer for `FPGAModel.stageBalancer`: lanes per task index of one stage, from GLPK.
    public static let forStage: @Sendable (FPGAModel, DesignPoint, [Int]) -> [Double]? = { model, point, stage in
        let p = problem(model, point, stage: stage)
        guard let s = try? solve(p) else { return nil }
        var lanes = [Double](repeating: 0, count: model.compiled.tasks.count)
        var k = 0
        for i in stage.sorted() where model.compiled.tasks[i].isMAC {
            lanes[i] = Double(s.lanes[k])
            k += 1
        }
        return lanes
    }

    /// A balancer for `FPGAModel.laneBalancer`: lanes per task index, from GLPK.
    public static let forModel: @Sendable (FPGAModel, DesignPoint) -> [Double]? = { model, point in
        let p = problem(model, point)
        guard let s = try? solve(p) else { return nil }
        var lanes = [Double](repeating: 0, count: model.compiled.tasks.count)
        var k = 0
        for i in model.compiled.tasks.indices where model.compiled.tasks[i].isMAC {
            lanes[i] = Double(s.lanes[k])
            k += 1
        }
        return lanes
    }
}
