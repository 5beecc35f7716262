import Foundation
import IntarsiaCore

/// The knobs a stage's cost reads: everything of a design point but the compute units (which
/// only decide which stages exist), the scratchpad and the spill policy (which price the
/// boundaries between stages and decide which splits fit). With a stage balancer plugged in the
/// scratchpad joins the key: the balancer's memory budget depends on it.
struct StageCostKey: Hashable, Sendable {
    var lanes: Int
    var wordBits: Int
    var weightLoad: WeightLoad
    var flattenLoops: Bool
    var pipelined: Bool
    var matVec: MatVecMode
    var streamElements: Int
    var scratchpadKiB: Int
    var writeWait: Bool

    init(_ p: DesignPoint, balancer: Bool) {
        lanes = p.lanes
        wordBits = p.wordBits
        weightLoad = p.weightLoad
        flattenLoops = p.flattenLoops
        pipelined = p.pipelined
        matVec = p.matVec
        streamElements = p.streamElements
        scratchpadKiB = balancer ? p.scratchpadKiB : -1
        writeWait = p.writeWait
    }
}

/// Every stage of the stage table costed under each lane split it may use, for one
/// `StageCostKey`. Flat arrays so that the per-point shortest path reads plain numbers.
struct StageCostTable: Sendable {
    struct Split: Sendable {
        var allocation: LaneAllocation
        var taskLanes: [Double]?
        var cost: StageCost
    }

    /// Cycles and buffers of one split, and of the stage it belongs to: what the shortest path reads.
    struct Figures: Sendable {
        var cycles: Double
        var bram18k: Double
        var uram: Double
    }

    /// Where a stage's splits are in `splits` and `figures`, and whether the stage has several
    /// tasks (only those must fit the memory left).
    struct Entry: Sendable {
        var first: Int32
        var end: Int32
        var multiTask: Bool
    }

    /// Per stage of the stage table; its splits in `fastestSplit`'s order.
    var entries: [Entry] = []
    var splits: [Split] = []
    var figures: [Figures] = []
    var count: Int { entries.count }

    /// Costs the stages `count..<tasks.count` of the table and appends them.
    mutating func extend(_ model: FPGAModel, _ p: DesignPoint, stages tasks: [[Int]]) {
        let env = model.platformEnvironment.with(p)
        var none = NoRecorder()
        for s in count..<tasks.count {
            let stage = tasks[s]
            var macs = 0
            for t in stage where model.compiled.tasks[t].isMAC { macs += 1 }
            let candidates = macs <= 1 ? [(LaneAllocation.proportional, nil as [Double]?)] : model.stageSplitCandidates(p, stage)
            for (a, lanes) in candidates {
                // Units are not a limit here: the topology only holds stages the point's units can run.
                let c = StageModel.cost(model.compiled, stage, lanes: p.lanes, maxUnits: Int.max, allocation: a,
                                        env: env, stageIndex: 0, recorder: &none, taskLanes: lanes)!
                splits.append(Split(allocation: a, taskLanes: lanes, cost: c))
                figures.append(Figures(cycles: c.cycles, bram18k: c.bram18k, uram: c.uram))
            }
            entries.append(Entry(first: Int32(splits.count - candidates.count), end: Int32(splits.count), multiTask: stage.count > 1))
        }
    }

    /// The fastest split of stage `s` whose buffers fit (`FPGAModel.fastestSplit`), or -1.
    func fastest(_ s: Int, bram: Double, uram: Double) -> Int {
        entries.withUnsafeBufferPointer { e in
            figures.withUnsafeBufferPointer { f in Self.fastest(e[s], f, bram: bram, uram: uram) }
        }
    }

    @inline(__always)
    static func fastest(_ e: Entry, _ f: UnsafeBufferPointer<Figures>, bram: Double, uram: Double) -> Int {
        var best = -1
        var bestCycles = Double.infinity
        for k in Int(e.first)..<Int(e.end) {
            let x = f[k]
            if e.multiTask && (x.bram18k > bram || x.uram > uram) { continue }
            if best < 0 || x.cycles < bestCycles {
                best = k
                bestCycles = x.cycles
            }
        }
        return best
    }
}

/// What a model keeps between evaluations of the reconfigurable template: the stage table and
/// topologies (per workload) and stage costs (per `StageCostKey`). Shared by copies of the model
/// and by the threads of a search; a lock guards it. The cost tables hold at most
/// `maxCachedSplits` costed splits (about 150 bytes each: some 150 MB, a little more than one
/// knob set of the largest general graph, `ScheduleGraph.defaultMaxArcs` arcs); past that they
/// are dropped and rebuilt on demand (results do not change, only the time).
final class ReconfigurableCache: @unchecked Sendable {
    static let maxCachedSplits = 1_000_000
    private var cachedSplits = 0
    private let lock = NSLock()
    private var stageTasks: [[Int]] = []
    private var stageIDs: [[Int]: Int32] = [:]
    private struct TopologyKey: Hashable { var units: Int; var maxArcs: Int; var reduceSymmetry: Bool }
    private var topologies: [TopologyKey: ScheduleTopology] = [:]
    private var costs: [StageCostKey: StageCostTable] = [:]

    /// The topology for the point's compute units and the costs of its stages for the point.
    func lookup(_ model: FPGAModel, _ p: DesignPoint, maxArcs: Int = ScheduleGraph.defaultMaxArcs,
                reduceSymmetry: Bool = true) -> (ScheduleTopology, StageCostTable) {
        costed(model, p) {
            topologyLocked(model.compiled, TopologyKey(units: p.computeUnits, maxArcs: maxArcs, reduceSymmetry: reduceSymmetry))
        }
    }

    private func topologyLocked(_ w: CompiledWorkload, _ key: TopologyKey) -> ScheduleTopology {
        if let t = topologies[key] { return t }
        let t = ScheduleTopology.build(w, units: key.units, maxArcs: key.maxArcs, reduceSymmetry: key.reduceSymmetry) { intern($0) }
        topologies[key] = t
        return t
    }

    /// Stage ids of the fixed schedules (the reconfigurable template's hand-written one, the
    /// sequential template's), by template.
    private var fixedStages: [TemplateKind: [Int32]] = [:]

    /// The costs of a fixed schedule's stages for the point, and their ids in the stage table.
    func lookup(_ model: FPGAModel, _ p: DesignPoint, fixed schedule: Schedule, of template: TemplateKind) -> ([Int32], StageCostTable) {
        costed(model, p) {
            let ids = fixedStages[template] ?? schedule.stages.map { intern($0.tasks[...]) }
            fixedStages[template] = ids
            return ids
        }
    }

    /// `locked` (which may add stages to the table) under the lock, then the point's cost table
    /// covering every stage of the table, costing the missing ones outside the lock.
    private func costed<T>(_ model: FPGAModel, _ p: DesignPoint, _ locked: () -> T) -> (T, StageCostTable) {
        let key = StageCostKey(p, balancer: model.stageBalancer != nil)
        lock.lock()
        let value = locked()
        let stages = stageTasks
        var table = costs[key] ?? StageCostTable()
        lock.unlock()
        if table.count < stages.count {
            table.extend(model, p, stages: stages)
            store(table, key)
        }
        return (value, table)
    }

    private func store(_ table: StageCostTable, _ key: StageCostKey) {
        lock.lock()
        let held = costs[key]?.splits.count ?? 0
        if held < table.splits.count {
            if cachedSplits - held + table.splits.count > Self.maxCachedSplits {
                costs.removeAll()
                cachedSplits = 0
            }
            cachedSplits += table.splits.count - (costs[key]?.splits.count ?? 0)
            costs[key] = table
        }
        lock.unlock()
    }

    /// A stage's id in the stage table, added when new (the lock held).
    private func intern(_ tasks: ArraySlice<Int>) -> Int32 {
        let list = Array(tasks)
        if let id = stageIDs[list] { return id }
        let id = Int32(stageTasks.count)
        stageTasks.append(list)
        stageIDs[list] = id
        return id
    }

    /// The tasks of stage `id` of the stage table.
    func tasks(ofStage id: Int32) -> [Int] {
        lock.lock()
        defer { lock.unlock() }
        return stageTasks[Int(id)]
    }
}
