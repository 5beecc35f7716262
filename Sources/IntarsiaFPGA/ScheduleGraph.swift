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
    /// `general` (every schedule) or `contiguous` (contiguous segments of the topological order,
    /// the fallback for large graphs): the same values a design's `scheduleSpace` carries.
    public typealias Space = ScheduleSpace

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
    public var nodes: [TaskSet]
    public var arcs: [Arc]
    public var space: Space
    /// Interchangeable branches the graph is reduced by: nodes are canonical completed-task sets
    /// and arcs' tasks are in their start node's frame; `schedule` maps a path to real stages.
    public var symmetry: BranchSymmetry?
    /// How the stage balancer's splits of the graph's stages ended (`StageSplitStatus`): not
    /// `optimal` when one was not proven, so neither is a path over the graph.
    public var splitStatus: SolverStatus = .optimal
    public var sink: Int { nodes.count - 1 }

    /// The arc cap of the general graph before the contiguous one is built instead. 300,000
    /// holds BERT-base with its 12 heads reduced by symmetry at 8 compute units (560 nodes,
    /// 260,863 arcs). Memory: the topology takes 12 bytes an arc; the stage table (one per
    /// model) about 150 bytes a distinct stage; each knob set's costs about 150 bytes a split,
    /// up to two splits a stage, so up to about 90 MB a knob set at the cap
    /// (`ReconfigurableCache.maxCachedSplits` bounds the sum).
    public static let defaultMaxArcs = 300_000

    /// The graph for a design point: the model's topology for the point's compute units,
    /// weighted with the point's stage costs (each stage at its fastest split whose buffers fit;
    /// stages with none are left out) and boundary spills. `maxArcs` bounds the general graph;
    /// past it the contiguous one is built. `reduceSymmetry: false` builds the general graph
    /// without the branch-symmetry reduction (a cross-check; the optimum is the same).
    public static func build(_ model: FPGAModel, _ p: DesignPoint, maxArcs: Int = defaultMaxArcs, reduceSymmetry: Bool = true) -> ScheduleGraph {
        let (topology, table) = model.reconfigurableCache.lookup(model, p, maxArcs: maxArcs, reduceSymmetry: reduceSymmetry)
        let weights = ArcWeights(model, p, topology)
        var arcs: [Arc] = []
        var broken = Set<Int32>()
        for a in topology.arcs where !broken.contains(a.from) {
            let k = table.fastest(Int(a.stage), bram: weights.bram, uram: weights.uram)
            guard k >= 0 else {
                // Contiguous segments stop growing at the first that does not fit.
                if topology.space == .contiguous { broken.insert(a.from) }
                continue
            }
            let split = table.splits[k]
            let boundary = weights.boundary[Int(a.from)]
            arcs.append(Arc(from: Int(a.from), to: Int(a.to), tasks: model.reconfigurableCache.tasks(ofStage: a.stage),
                            allocation: split.allocation, taskLanes: split.taskLanes, stageCycles: split.cost.cycles,
                            boundaryCycles: boundary.cycles, offChipBytes: split.cost.offChipBytes + boundary.bytes))
        }
        return ScheduleGraph(nodes: topology.nodes, arcs: arcs, space: topology.space, symmetry: topology.symmetry,
                             splitStatus: table.splitStatus(over: topology.arcs.lazy.map(\.stage), names: model.stageNames))
    }

    /// The graph over contiguous segments of the topological order only.
    static func contiguous(_ model: FPGAModel, _ p: DesignPoint) -> ScheduleGraph {
        build(model, p, maxArcs: -1)  // no general graph has fewer than 0 arcs
    }

    /// The shortest path from the empty set to all tasks (arcs are sorted by source node, and
    /// every arc goes to a higher node), or nil when none exists.
    public func shortestPath() -> [Arc]? {
        shortestPathArcs().map { $0.map { arcs[$0] } }
    }

    /// The shortest path as indices into `arcs`, or nil when none exists.
    public func shortestPathArcs() -> [Int]? {
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
        var path: [Int] = []
        var v = sink
        while v != 0 {
            path.append(via[v])
            v = arcs[via[v]].from
        }
        return path.reversed()
    }

    /// The schedule a path describes (through the branch permutations when the graph is reduced).
    public func schedule(_ model: FPGAModel, _ path: [Arc]) -> Schedule {
        var stages = path.map(\.tasks)
        var lanes = path.map(\.taskLanes)
        if let s = symmetry { (stages, lanes) = s.unfold(stages, taskLanes: lanes, tasks: model.compiled.tasks.count) }
        // A path of the graph is valid by construction.
        return try! Schedule(model.compiled, stages: stages, allocations: path.map(\.allocation), taskLanes: lanes)
    }
}
