import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaGLPK

/// Chooses the reconfigurable template's static schedule: which tasks run together in each
/// stage (and so which pattern: task-parallel, split, pipeline), in what order, and what the
/// scratchpad holds at each boundary, for minimal latency.
///
/// The schedule space is `ScheduleGraph`: nodes are completed-task sets, arcs are stages with
/// pre-costed latency (the stage model, plus the spill before it). Three solvers agree on it:
/// - `glpk`: a 0-1 program, one variable per arc, flow conservation at every node (one unit from
///   the empty set to all tasks), latency as the objective, and an optional off-chip budget as a
///   side constraint. Without the budget the constraint matrix is a network matrix, so the LP
///   relaxation is integral and GLPK proves optimality at the root.
/// - `dp`: the shortest path by dynamic programming over the nodes (cannot take the budget).
/// - `exhaustive`: every schedule enumerated and evaluated by `FPGAModel.evaluate`, for small
///   graphs: a cross-check that shares no code with the other two beyond the stage model.
public enum ReconfigurationScheduler {
    public enum Solver: String, Sendable, CaseIterable, Codable {
        case glpk, dp, exhaustive
    }

    public struct Options: Sendable {
        public var solver: Solver = .glpk
        public var timeLimitSeconds: Double = 10
        /// Most off-chip bytes per repetition of the graph (weights, inputs, outputs, spills).
        public var maxOffChipBytes: Double?
        /// Write the integer program here (CPLEX LP format) for `glpsol --lp`.
        public var lpPath: String?
        /// Largest graph the general space is built for (arcs); larger ones use contiguous stages.
        public var maxArcs: Int = ScheduleGraph.defaultMaxArcs
        /// Build the general space up to swapping interchangeable branches (`BranchSymmetry`);
        /// false builds it whole (a cross-check: the optimum is the same).
        public var reduceSymmetry = true
        /// Also split each pipelined stage's lanes with the stage balancer (a small integer
        /// program per stage of several MAC tasks).
        public var balanceStages = false
        public init() {}
    }

    public struct Solution: Sendable {
        public var schedule: Schedule
        /// Latency of one repetition of the graph, cycles (the objective).
        public var cycles: Double
        public var offChipBytes: Double
        public var status: SolveResult.Status
        public var gap: Double?
        public var solver: Solver
        public var space: ScheduleGraph.Space
        public var nodes: Int
        public var arcs: Int
        public var solveSeconds: Double
        public var branchAndBoundNodes: Int
        public var note: String
        /// How the stage balancer's splits of the graph's stages ended (`ScheduleGraph.splitStatus`).
        public var splitStatus: SolverStatus = .optimal

        /// The status a design's row shows: the failed stage split when one stood in, the
        /// unproven splits when any, else the solver's own (with its gap).
        public var solverStatus: SolverStatus {
            switch splitStatus {
            case .fallback, .feasible: return splitStatus
            case .optimal, .given: return status == .optimal ? .optimal : .feasible(gap: gap ?? .infinity)
            }
        }
    }

    public struct NoSchedule: Error, CustomStringConvertible {
        public var description: String
    }

    /// The optimal schedule. With `balanceStages`, each pipelined stage's lanes are also split by
    /// the stage balancer (the model's own when it has one, else `StageBalancer.forStage`); when a
    /// split the graph holds is not proven (a GLPK solve stopped at its limit, or failed and left
    /// the proportional and uniform splits), the schedule is only "feasible", `splitStatus` says
    /// why and the note repeats it.
    public static func solve(_ model: FPGAModel, _ p: DesignPoint, options: Options = Options()) throws -> Solution {
        var model = model
        if options.balanceStages != (model.stageBalancer != nil) {  // setting it empties the model's caches
            model.stageBalancer = options.balanceStages ? StageBalancer.forStage : nil
        }
        return try solveGraph(model, p, options: options)
    }

    static func solveGraph(_ model: FPGAModel, _ p: DesignPoint, options: Options) throws -> Solution {
        var point = p
        point.template = .reconfigurable
        let start = Date()
        let graph = ScheduleGraph.build(model, point, maxArcs: options.maxArcs, reduceSymmetry: options.reduceSymmetry)
        var solution = try solve(graph, model, point, options: options, start)
        solution.splitStatus = graph.splitStatus
        switch graph.splitStatus {
        case .optimal, .given: break
        case .feasible(_, let why), .fallback(let why):
            solution.status = solution.status == .optimal ? .feasible : solution.status
            solution.gap = nil
            solution.note += "; not proven optimal: \(why)"
        }
        return solution
    }

    static func solve(_ graph: ScheduleGraph, _ model: FPGAModel, _ point: DesignPoint, options: Options, _ start: Date) throws -> Solution {
        switch options.solver {
        case .dp:
            if options.maxOffChipBytes != nil {
                throw NoSchedule(description: "the dp solver cannot honour an off-chip budget; use --solver glpk or exhaustive")
            }
            let path = graph.shortestPath()!
            return Solution(schedule: graph.schedule(model, path), cycles: path.reduce(0) { $0 + $1.cost },
                            offChipBytes: path.reduce(0) { $0 + $1.offChipBytes }, status: .optimal, gap: 0, solver: .dp,
                            space: graph.space, nodes: graph.nodes.count, arcs: graph.arcs.count,
                            solveSeconds: Date().timeIntervalSince(start), branchAndBoundNodes: 0, note: "shortest path over the schedule graph")
        case .glpk:
            return try milp(model, point, graph, options, start)
        case .exhaustive:
            return try exhaustive(model, point, options, start)
        }
    }

    /// The network-flow 0-1 program over the schedule graph.
    public static func formulate(_ graph: ScheduleGraph, maxOffChipBytes: Double?) -> LinearModel {
        var m = LinearModel(sense: .minimize)
        var outArcs = [[Int]](repeating: [], count: graph.nodes.count)
        var inArcs = [[Int]](repeating: [], count: graph.nodes.count)
        for (k, a) in graph.arcs.enumerated() {
            let v = m.addVariable("x\(k)_\(a.from)_\(a.to)", kind: .binary, cost: a.cost)
            outArcs[a.from].append(v)
            inArcs[a.to].append(v)
        }
        for node in graph.nodes.indices {
            let supply: Double = node == 0 ? 1 : (node == graph.sink ? -1 : 0)
            let terms = outArcs[node].map { ($0, 1.0) } + inArcs[node].map { ($0, -1.0) }
            if terms.isEmpty { continue }
            m.addConstraint("flow\(node)", terms, lower: supply, upper: supply)
        }
        if let budget = maxOffChipBytes {
            m.addConstraint("offchip", graph.arcs.enumerated().map { ($0.offset, $0.element.offChipBytes) }, upper: budget)
        }
        return m
    }

    static func milp(_ model: FPGAModel, _ p: DesignPoint, _ graph: ScheduleGraph, _ options: Options, _ start: Date) throws -> Solution {
        let m = formulate(graph, maxOffChipBytes: options.maxOffChipBytes)
        var o = SolveOptions()
        o.timeLimitSeconds = options.timeLimitSeconds
        o.lpPath = options.lpPath
        // The shortest path ignoring the budget is an incumbent whenever it meets the budget.
        if let path = graph.shortestPathArcs() {
            let bytes = path.reduce(0) { $0 + graph.arcs[$1].offChipBytes }
            if options.maxOffChipBytes.map({ bytes <= $0 }) ?? true {
                var x = [Double](repeating: 0, count: graph.arcs.count)
                for k in path { x[k] = 1 }  // variable k is arc k (`formulate`)
                o.incumbent = x
            }
        }
        let r = try GLPK.solve(m, options: o)
        guard r.hasSolution else {
            var why = "no schedule: GLPK reports \(r.status.rawValue)"
            if r.status == .infeasible, let budget = options.maxOffChipBytes {
                let least = leastOffChip(graph)
                why = "no schedule meets the off-chip budget offchip_bytes <= \(Int64(budget)); the least any schedule moves is \(Int64(least.rounded(.up))) bytes"
            } else if r.status == .noSolution {
                why = "no schedule found within the time limit of \(options.timeLimitSeconds) s"
            }
            throw NoSchedule(description: why)
        }
        let chosen = graph.arcs.indices.filter { r.values[$0] > 0.5 }.map { graph.arcs[$0] }
        // Follow the flow from the empty set to recover the order.
        var path: [ScheduleGraph.Arc] = []
        var v = 0
        while v != graph.sink {
            guard let a = chosen.first(where: { $0.from == v }) else { break }
            path.append(a)
            v = a.to
        }
        return Solution(schedule: graph.schedule(model, path), cycles: r.objective!, offChipBytes: path.reduce(0) { $0 + $1.offChipBytes },
                        status: r.status, gap: r.gap, solver: .glpk, space: graph.space, nodes: graph.nodes.count,
                        arcs: graph.arcs.count, solveSeconds: Date().timeIntervalSince(start), branchAndBoundNodes: r.nodes,
                        note: r.status == .optimal ? "proven optimal" : "not proven optimal: \(r.note)")
    }

    /// The fewest off-chip bytes of any schedule (shortest path by bytes), for messages.
    static func leastOffChip(_ g: ScheduleGraph) -> Double {
        var dist = [Double](repeating: .infinity, count: g.nodes.count)
        dist[0] = 0
        for a in g.arcs where dist[a.from].isFinite { dist[a.to] = min(dist[a.to], dist[a.from] + a.offChipBytes) }
        return dist[g.sink]
    }

    /// Every schedule: ordered partitions of the tasks into stages, each stage's predecessors
    /// done or inside it, at most `compute_units` MAC tasks per stage, and multi-task stages only
    /// when their buffers fit (the rule the graph applies). Each is evaluated with
    /// `FPGAModel.evaluate` on its own `Schedule`. Refuses graphs of more than 9 tasks.
    static func exhaustive(_ model: FPGAModel, _ p: DesignPoint, _ options: Options, _ start: Date) throws -> Solution {
        let w = model.compiled
        let n = w.tasks.count
        guard n <= 9 else { throw NoSchedule(description: "exhaustive enumeration is limited to 9 tasks; this workload has \(n)") }
        let preds: [[Int]] = w.tasks.map { t in (t.predecessorStart..<(t.predecessorStart + t.predecessorCount)).map { w.predecessorTask[$0] } }
        var best: (cycles: Double, schedule: Schedule, bytes: Double)?
        var stages: [[Int]] = []
        var none = NoRecorder()
        func extend(_ done: Set<Int>) throws {
            if done.count == n {
                // The enumeration groups each task once, after its producers: Schedule accepts
                // every grouping, and a rejection (a bug) is thrown, not skipped.
                guard let s2 = model.fittingAllocations(p, try Schedule(w, stages: stages)) else { return }
                let e = model.evaluate(p, schedule: s2, recorder: &none)
                let cycles = e.latencyCycles / w.repetitions
                let bytes = e.offChipBytes / w.repetitions
                if let budget = options.maxOffChipBytes, bytes > budget * (1 + 1e-12) { return }
                if best == nil || cycles < best!.cycles - 1e-9 { best = (cycles, s2, bytes) }
                return
            }
            let remaining = (0..<n).filter { !done.contains($0) }
            // Every nonempty subset of the remaining tasks that can run next as one stage.
            for mask in 1..<(1 << remaining.count) {
                let stage = remaining.indices.filter { mask & (1 << $0) != 0 }.map { remaining[$0] }
                let members = Set(stage)
                guard stage.allSatisfy({ preds[$0].allSatisfy { done.contains($0) || members.contains($0) } }) else { continue }
                guard stage.filter({ w.tasks[$0].isMAC }).count <= p.computeUnits else { continue }
                stages.append(stage)
                try extend(done.union(members))
                stages.removeLast()
            }
        }
        try extend([])
        guard let b = best else { throw NoSchedule(description: "no schedule meets the constraints") }
        return Solution(schedule: b.schedule, cycles: b.cycles, offChipBytes: b.bytes, status: .optimal, gap: 0, solver: .exhaustive,
                        space: .general, nodes: 0, arcs: 0, solveSeconds: Date().timeIntervalSince(start), branchAndBoundNodes: 0,
                        note: "every schedule enumerated")
    }
}
