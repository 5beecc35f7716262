import IntarsiaCore

/// The reconfigurable template's schedule space as a graph. A node is a set of completed tasks
/// closed under predecessors (an ideal of the task graph); an arc runs one stage, a set of tasks
/// whose predecessors are all complete or in the stage, with at most `compute_units` MAC tasks.
/// A schedule is a path from the empty set to all tasks; its latency is the sum of its arcs'
/// costs (the stage, plus the spill at the boundary before it, which depends only on the set
/// completed). So the shortest path is the optimal schedule, and a dynamic program over the
/// nodes in order of size finds it exactly; the GLPK scheduler solves the same graph as a
/// network-flow integer program, where side constraints (an off-chip budget) can be added.
///
/// When the graph would be too large (many independent tasks), it is built over contiguous
/// segments of the topological order only, and `space` says so.
public struct ScheduleGraph: Sendable {
    public enum Space: String, Sendable, Codable {
        /// Every schedule: stages are any predecessor-closed steps.
        case general
        /// Stages are contiguous segments of the topological order (the fallback for large graphs).
        case contiguous
    }

    public struct Arc: Sendable {
        public var from: Int
        public var to: Int
        /// Tasks of the stage, ascending.
        public var tasks: [Int]
        public var allocation: LaneAllocation
        /// Lanes per task index when the stage balancer split the stage.
        public var taskLanes: [Double]?
        public var stageCycles: Double
        /// Spill before the stage (0 from the start node).
        public var boundaryCycles: Double
        /// Off-chip bytes of the stage and of the spill before it.
        public var offChipBytes: Double
        public var cost: Double { stageCycles + boundaryCycles }
    }

    /// Completed-task sets as bit masks, by node index; node 0 is the empty set.
    public var nodes: [UInt64]
    public var arcs: [Arc]
    public var space: Space
    public var sink: Int { nodes.count - 1 }

    /// Builds the graph for a design point. `maxArcs` bounds the general graph; past it the
    /// contiguous one is built.
    public static func build(_ model: FPGAModel, _ p: DesignPoint, maxArcs: Int = 20_000) -> ScheduleGraph {
        let n = model.compiled.tasks.count
        if n <= 64, let g = general(model, p, maxArcs: maxArcs) { return g }
        return contiguous(model, p)
    }

    static func stageArc(_ model: FPGAModel, _ p: DesignPoint, env: CycleEnvironment, caps: (bram: Double, uram: Double, scratchBram: Double, scratchUram: Double),
                         tasks: [Int], from: Int, to: Int, boundary: (cycles: Double, bytes: Double)) -> Arc? {
        var macs = 0
        for t in tasks where model.compiled.tasks[t].isMAC { macs += 1 }
        if macs > p.computeUnits { return nil }
        guard let best = model.fastestSplit(p, tasks, env: env, memory: (caps.bram, caps.uram)) else { return nil }
        return Arc(from: from, to: to, tasks: tasks, allocation: best.allocation, taskLanes: best.taskLanes, stageCycles: best.cost.cycles,
                   boundaryCycles: boundary.cycles, offChipBytes: best.cost.offChipBytes + boundary.bytes)
    }

    static func general(_ model: FPGAModel, _ p: DesignPoint, maxArcs: Int) -> ScheduleGraph? {
        let w = model.compiled
        let n = w.tasks.count
        let full: UInt64 = n == 64 ? ~0 : (1 << UInt64(n)) - 1
        var predMask = [UInt64](repeating: 0, count: n)
        var consumers = [UInt64](repeating: 0, count: n)
        for (c, t) in w.tasks.enumerated() {
            for e in t.predecessorStart..<(t.predecessorStart + t.predecessorCount) {
                predMask[c] |= 1 << UInt64(w.predecessorTask[e])
                consumers[w.predecessorTask[e]] |= 1 << UInt64(c)
            }
        }
        let env = model.platformEnvironment.with(p)
        let caps = model.memoryCaps(p, env)
        let scratch = Double(p.scratchpadKiB) * 1024
        var index: [UInt64: Int] = [0: 0]
        var nodes: [UInt64] = [0]
        var arcs: [Arc] = []
        var frontier = [UInt64(0)]
        var steps: [(UInt64, [Int])] = []
        while !frontier.isEmpty {
            // Breadth-first by size would need sorting later anyway; collect, then sort nodes.
            let done = frontier.removeLast()
            var live = 0.0
            for i in 0..<n where done & (1 << UInt64(i)) != 0 && consumers[i] & ~done != 0 { live += w.tasks[i].outputBytes }
            let boundary = done == 0 ? (cycles: 0.0, bytes: 0.0) : StageModel.spill(liveBytes: live, scratchpadBytes: scratch, policy: p.spill, env: env)
            steps.removeAll(keepingCapacity: true)
            let remaining = (0..<n).filter { done & (1 << UInt64($0)) == 0 }
            // Depth-first over the remaining tasks in topological order: include a task only when
            // its predecessors are done or included; at most compute_units MAC tasks.
            func visit(_ k: Int, _ stage: UInt64, _ macs: Int, _ list: inout [Int]) {
                if steps.count + arcs.count > maxArcs { return }
                if k == remaining.count {
                    if stage != 0 { steps.append((stage, list)) }
                    return
                }
                let t = remaining[k]
                let bit = UInt64(1) << UInt64(t)
                let isMAC = w.tasks[t].isMAC
                if predMask[t] & ~(done | stage) == 0 && (!isMAC || macs < p.computeUnits) {
                    list.append(t)
                    visit(k + 1, stage | bit, macs + (isMAC ? 1 : 0), &list)
                    list.removeLast()
                }
                visit(k + 1, stage, macs, &list)
            }
            var list: [Int] = []
            visit(0, 0, 0, &list)
            if steps.count + arcs.count > maxArcs { return nil }
            let fromIndex = index[done]!
            for (stage, tasks) in steps {
                let next = done | stage
                var to = index[next]
                if to == nil {
                    to = nodes.count
                    index[next] = to
                    nodes.append(next)
                    frontier.append(next)
                }
                if let arc = stageArc(model, p, env: env, caps: caps, tasks: tasks, from: fromIndex, to: to!, boundary: boundary) {
                    arcs.append(arc)
                }
            }
        }
        // Renumber nodes by size so that every arc goes from a lower to a higher index, with the
        // full set last.
        let order = nodes.indices.sorted { (nodes[$0].nonzeroBitCount, $0) < (nodes[$1].nonzeroBitCount, $1) }
        var newIndex = [Int](repeating: 0, count: nodes.count)
        for (k, old) in order.enumerated() { newIndex[old] = k }
        let sortedNodes = order.map { nodes[$0] }
        precondition(sortedNodes.last == full)
        arcs = arcs.map { var a = $0; a.from = newIndex[a.from]; a.to = newIndex[a.to]; return a }
        arcs.sort { ($0.from, $0.to) < ($1.from, $1.to) }
        return ScheduleGraph(nodes: sortedNodes, arcs: arcs, space: .general)
    }

    static func contiguous(_ model: FPGAModel, _ p: DesignPoint) -> ScheduleGraph {
        let w = model.compiled
        let n = w.tasks.count
        let env = model.platformEnvironment.with(p)
        let caps = model.memoryCaps(p, env)
        let scratch = Double(p.scratchpadKiB) * 1024
        var arcs: [Arc] = []
        for i in 0..<n {
            let boundary = i == 0 ? (cycles: 0.0, bytes: 0.0)
                : StageModel.spill(liveBytes: w.liveBytesAtBoundary[i], scratchpadBytes: scratch, policy: p.spill, env: env)
            for j in (i + 1)...n {
                guard let arc = stageArc(model, p, env: env, caps: caps, tasks: Array(i..<j), from: i, to: j, boundary: boundary) else { break }
                arcs.append(arc)
            }
        }
        let nodes = (0...n).map { k -> UInt64 in k >= 64 ? ~0 : (1 << UInt64(k)) - 1 }  // prefixes (masks exact only below 64 tasks)
        return ScheduleGraph(nodes: nodes, arcs: arcs, space: .contiguous)
    }

    /// The shortest path from the empty set to all tasks (arcs are sorted by source node, and
    /// every arc goes to a higher node), or nil when none exists.
    public func shortestPath() -> [Arc]? {
        var dist = [Double](repeating: .infinity, count: nodes.count)
        var via = [Int](repeating: -1, count: nodes.count)
        dist[0] = 0
        for (k, a) in arcs.enumerated() where dist[a.from].isFinite {
            let d = dist[a.from] + a.cost
            if d < dist[a.to] {
                dist[a.to] = d
                via[a.to] = k
            }
        }
        guard dist[sink].isFinite else { return nil }
        var path: [Arc] = []
        var v = sink
        while v != 0 {
            let a = arcs[via[v]]
            path.append(a)
            v = a.from
        }
        return path.reversed()
    }

    /// The schedule a path describes.
    public func schedule(_ model: FPGAModel, _ path: [Arc]) -> Schedule {
        // A path of the graph is valid by construction.
        try! Schedule(model.compiled, stages: path.map(\.tasks), allocations: path.map(\.allocation), taskLanes: path.map(\.taskLanes))
    }
}
