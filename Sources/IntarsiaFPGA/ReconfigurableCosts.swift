import Foundation
import IntarsiaCore

/// What a stage's cost depends on, derived from the whole design point: the point with the knobs
/// a stage's cost does not read set to fixed values. Those are the compute units (which only
/// decide which stages exist), the scratchpad and the spill policy (which price the boundaries
/// between stages and decide which splits fit), the point's own `allocation` (every stage tries
/// each split) and the template (stage costs are the same in every template that shares this
/// cache). With a stage balancer plugged in the scratchpad and the template stay in the key: the
/// balancer's memory budget depends on them. A knob added to `DesignPoint` is in the key until it
/// is shown not to change a stage's cost (`ReconfigurableCacheTests.costKeyCoversEveryKnob`).
struct StageCostKey: Hashable, Sendable {
    private(set) var point: DesignPoint

    init(_ p: DesignPoint, balancer: Bool) {
        var q = p
        q.computeUnits = 0
        q.spill = .overflow
        q.allocation = .proportional
        if !balancer {
            q.scratchpadKiB = -1
            q.template = .reconfigurable
        }
        point = q
    }

    /// Equal keys are equal points, so a hash of some of their fields is consistent; these vary
    /// most between knob sets, and one combined word keeps the hash to one round of the hasher
    /// (hashing every field cost about 850 instructions a look-up, 7% of a warm evaluation).
    func hash(into h: inout Hasher) { h.combine(mixedWord) }

    /// The key's varying fields mixed into one word (also `FixedCostIndex`'s probe start).
    var mixedWord: UInt64 {
        // 0x9E3779B97F4A7C15: 2^64 / golden ratio, Fibonacci hashing's multiplier (Knuth, TAOCP
        // vol. 3, section 6.4): spreads each field over the word before the next is mixed in.
        let q = point
        var word = UInt64(truncatingIfNeeded: q.lanes)
        word = word &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: q.wordBits)
        word = word &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: q.streamElements)
        word = word &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: q.scratchpadKiB)
        word = word &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(q.weightLoad.hashBits | q.matVec.hashBits << 2)
        return word &* 0x9E37_79B9_7F4A_7C15 ^ (q.flattenLoops ? 1 : 0) ^ (q.pipelined ? 2 : 0) ^ (q.writeWait ? 4 : 0)
    }
}

private extension WeightLoad {
    var hashBits: UInt64 { self == .doubleBuffered ? 0 : self == .buffered ? 1 : 2 }
}

private extension MatVecMode {
    var hashBits: UInt64 { self == .dot ? 0 : self == .outer ? 1 : 2 }
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
        /// The stage balancer was asked for a split of this stage.
        var balanced: Bool
        /// The fastest split whatever its buffers (the first of equal ones): the answer of
        /// `fastest` whenever it fits, worked out once.
        var quickest: Int32
    }

    /// Per stage of the stage table; its splits in `fastestSplit`'s order.
    var entries: [Entry] = []
    /// Per stage, the cycles of its quickest split (`Entry.quickest`).
    var quickestCycles: [Double] = []
    /// The most BRAM18K and URAM blocks a stage of several tasks needs at its quickest split: a
    /// point whose memory left holds these takes every stage's quickest split (`fastest`), and
    /// its shortest path reads `quickestCycles` alone.
    var quickestMemory = (bram18k: 0.0, uram: 0.0)
    var splits: [Split] = []
    var figures: [Figures] = []
    /// The stages whose balanced split is not proven (a solver stopped at a limit, or failed and
    /// left only the proportional and uniform splits), with how the balancer ended, by stage.
    var unproven: [(stage: Int32, status: LaneSplitStatus)] = []
    var count: Int { entries.count }

    /// Costs the stages `count..<tasks.count` of the table and appends them.
    mutating func extend(_ model: FPGAModel, _ p: DesignPoint, stages tasks: [[Int]]) {
        let env = model.platformEnvironment.with(p)
        var none = NoRecorder()
        for s in count..<tasks.count {
            let stage = tasks[s]
            var macs = 0
            for t in stage where model.compiled.tasks[t].isMAC { macs += 1 }
            let (candidates, balancer) = macs <= 1 ? ([(LaneAllocation.proportional, nil as [Double]?)], nil) : model.stageSplitCandidates(p, stage)
            if let b = balancer, !b.isProven { unproven.append((Int32(s), b)) }
            let coincide = macs > 1 && Self.splitsCoincide(model.compiled, stage, lanes: p.lanes)
            for (k, (a, lanes)) in candidates.enumerated() {
                // Units are not a limit here: the topology only holds stages the point's units can run.
                let c = k == 1 && coincide && a == .uniform && lanes == nil ? splits[splits.count - 1].cost
                    : StageModel.cost(model.compiled, stage, lanes: p.lanes, maxUnits: Int.max, allocation: a,
                                      env: env, stageIndex: 0, recorder: &none, taskLanes: lanes)!
                splits.append(Split(allocation: a, taskLanes: lanes, cost: c))
                figures.append(Figures(cycles: c.cycles, bram18k: c.bram18k, uram: c.uram))
            }
            let first = splits.count - candidates.count
            var quickest = first
            for k in first..<splits.count where figures[k].cycles < figures[quickest].cycles { quickest = k }
            entries.append(Entry(first: Int32(first), end: Int32(splits.count), multiTask: stage.count > 1,
                                 balanced: balancer != nil, quickest: Int32(quickest)))
            quickestCycles.append(figures[quickest].cycles)
            if stage.count > 1 {
                quickestMemory = (max(quickestMemory.bram18k, figures[quickest].bram18k), max(quickestMemory.uram, figures[quickest].uram))
            }
        }
    }

    /// Whether the proportional and uniform splits give every MAC task of `stage` the same lanes
    /// (tasks of equal MACs, or lanes that round alike): a stage's cost reads its allocation only
    /// through the lanes it gives each task (`StageModel.macWidth`), so the two costs are then
    /// the same to the bit and the second need not be worked out.
    static func splitsCoincide(_ w: CompiledWorkload, _ stage: [Int], lanes: Int) -> Bool {
        var macTasks = 0
        var macSum = 0.0
        for i in stage where w.tasks[i].isMAC {  // the sum in `StageModel.cost`'s order
            macTasks += 1
            macSum += w.tasks[i].macs
        }
        for i in stage where w.tasks[i].isMAC {
            let m = w.tasks[i].macs
            let total = Double(lanes)
            if StageModel.macWidth(lanes: total, macs: m, macSum: macSum, macTasks: macTasks, allocation: .proportional)
                != StageModel.macWidth(lanes: total, macs: m, macSum: macSum, macTasks: macTasks, allocation: .uniform) { return false }
        }
        return true
    }

    /// The fastest split of stage `s` whose buffers fit (`FPGAModel.fastestSplit`), or -1.
    func fastest(_ s: Int, bram: Double, uram: Double) -> Int {
        entries.withUnsafeBufferPointer { e in
            figures.withUnsafeBufferPointer { f in Self.fastest(e[s], f, bram: bram, uram: uram) }
        }
    }

    @inline(__always)
    static func fastest(_ e: Entry, _ f: UnsafeBufferPointer<Figures>, bram: Double, uram: Double) -> Int {
        // The fastest split overall is the fastest that fits whenever it fits (single-task
        // stages always do); only the others need the walk over the splits.
        let q = f[Int(e.quickest)]
        if !e.multiTask || (q.bram18k <= bram && q.uram <= uram) { return Int(e.quickest) }
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
    /// Fixed schedules' stages per key (`FPGAModel.fixedStageCosts`), dropped with `costs`.
    /// Read and written with the lock held, so the runtime's exclusivity check on each access
    /// (about 60 instructions a point) is not needed.
    @exclusivity(unchecked) private var fixedIndex = FixedCostIndex<FixedStageCosts>()
    /// The last topology looked up: consecutive points of a search or bench mostly share it
    /// (compute units vary slower than lanes), and comparing keys is cheaper than hashing them.
    /// (The same for cost tables cost more than it saved: lanes, in their key, vary fastest.)
    private var lastTopology: (key: TopologyKey, topology: ScheduleTopology)?

    /// The topology for the point's compute units and the costs of its stages for the point.
    func lookup(_ model: FPGAModel, _ p: DesignPoint, maxArcs: Int = ScheduleGraph.defaultMaxArcs,
                reduceSymmetry: Bool = true) -> (ScheduleTopology, StageCostTable) {
        let key = StageCostKey(p, balancer: model.stageBalancer != nil)
        let topologyKey = TopologyKey(units: p.computeUnits, maxArcs: maxArcs, reduceSymmetry: reduceSymmetry)
        lock.lock()
        let topology = topologyLocked(model.compiled, topologyKey)
        let (table, stages) = tableLocked(key)
        lock.unlock()
        return (topology, complete(table, stages, model, p, key))
    }

    private func topologyLocked(_ w: CompiledWorkload, _ key: TopologyKey) -> ScheduleTopology {
        if let last = lastTopology, last.key == key { return last.topology }
        let t: ScheduleTopology
        if let known = topologies[key] { t = known } else {
            t = ScheduleTopology.build(w, units: key.units, maxArcs: key.maxArcs, reduceSymmetry: key.reduceSymmetry) { intern($0) }
            topologies[key] = t
        }
        lastTopology = (key, t)
        return t
    }

    /// The schedules `evaluateFixedFast` follows: the sequential template's, or the model's
    /// given one (hand-written, for the reconfigurable template).
    enum FixedSchedule { case sequential, given }

    /// Stage ids of the fixed schedules in the stage table, once interned.
    private var sequentialIDs: [Int32]?
    private var givenIDs: [Int32]?

    /// The costs of a fixed schedule's stages for the point, and their ids in the stage table.
    func lookup(_ model: FPGAModel, _ p: DesignPoint, fixed which: FixedSchedule, _ schedule: Schedule) -> ([Int32], StageCostTable) {
        let key = StageCostKey(p, balancer: model.stageBalancer != nil)
        lock.lock()
        let ids: [Int32]
        switch which {
        case .sequential:
            ids = sequentialIDs ?? schedule.stages.map { intern($0.tasks[...]) }
            sequentialIDs = ids
        case .given:
            ids = givenIDs ?? schedule.stages.map { intern($0.tasks[...]) }
            givenIDs = ids
        }
        let (table, stages) = tableLocked(key)
        lock.unlock()
        return (ids, complete(table, stages, model, p, key))
    }

    /// The cost table held for `key` (empty when none) and, when it misses stages of the stage
    /// table, the stage table to cost them from (the lock held).
    private func tableLocked(_ key: StageCostKey) -> (StageCostTable, [[Int]]?) {
        let table = costs[key] ?? StageCostTable()
        return (table, table.count < stageTasks.count ? stageTasks : nil)
    }

    /// `table` covering every stage of `stages` (costing the missing ones outside the lock, and
    /// keeping the result), or `table` as it is when nothing is missing.
    private func complete(_ table: StageCostTable, _ stages: [[Int]]?, _ model: FPGAModel, _ p: DesignPoint,
                          _ key: StageCostKey) -> StageCostTable {
        guard let stages else { return table }
        var t = table
        t.extend(model, p, stages: stages)
        store(t, key)
        return t
    }

    private func store(_ table: StageCostTable, _ key: StageCostKey) {
        lock.lock()
        let held = costs[key]?.splits.count ?? 0
        if held < table.splits.count {
            if cachedSplits - held + table.splits.count > Self.maxCachedSplits {
                costs.removeAll()
                fixedIndex.removeAll()
                cachedSplits = 0
            }
            cachedSplits += table.splits.count - (costs[key]?.splits.count ?? 0)
            costs[key] = table
        }
        lock.unlock()
    }

    /// The fixed schedule's stages held for `key`, if any.
    @inline(__always)
    func fixedCosts(_ key: StageCostKey, _ which: FixedSchedule) -> FixedStageCosts? {
        let word = key.mixedWord
        lock.lock()
        let hit = fixedIndex.find(key, which, word: word)
        lock.unlock()
        return hit
    }

    /// Keeps a fixed schedule's stages (the first kept for a key stays).
    func keep(_ entry: FixedStageCosts) {
        lock.lock()
        fixedIndex.insert(entry, entry.key, entry.which, word: entry.word)
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
