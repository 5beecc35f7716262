import Foundation
import IntarsiaCore

/// The shape of the reconfigurable template's schedule graph for one workload and one number of
/// compute units: which completed-task sets exist (nodes) and which stages lead from one to
/// another (arcs), without any cost. It depends on nothing else of a design point, so a model
/// builds it once per `compute_units` value and re-weights it for every point
/// (`ReconfigurableCosts`). Node and arc order are those `ScheduleGraph` has always used (nodes
/// by size, then by discovery; arcs by source, then target), so ties between equally fast
/// schedules break as before. A class: a look-up hands out one reference, not six arrays to retain.
final class ScheduleTopology: Sendable {
    struct Arc: Sendable {
        var from: Int32
        var to: Int32
        /// Index of the arc's stage in the model's stage table (a stage's cost depends only on
        /// its tasks, so every arc running the same tasks shares it).
        var stage: Int32
    }

    /// Completed-task sets by node index; node 0 is the empty set, the last all tasks.
    let nodes: [TaskSet]
    let arcs: [Arc]
    let space: ScheduleGraph.Space
    /// Bytes of tensors alive at each node (produced, still needed by a task not yet run).
    let liveBytes: [Double]
    /// Interchangeable branches the general topology was reduced by (nil: none, every node is a
    /// completed-task set as it is). With them, a node is the canonical member of its class and
    /// an arc's stage is in that node's frame (`BranchSymmetry.unfold` turns a path into stages).
    let symmetry: BranchSymmetry?
    /// The arcs leaving node k are `arcs[firstArc[k]..<firstArc[k + 1]]` (arcs are sorted by
    /// source): the shortest path reads a node's distance and boundary once for all its arcs.
    let firstArc: [Int32]

    init(nodes: [TaskSet], arcs: [Arc], space: ScheduleGraph.Space, liveBytes: [Double], symmetry: BranchSymmetry? = nil) {
        self.nodes = nodes
        self.arcs = arcs
        self.space = space
        self.liveBytes = liveBytes
        self.symmetry = symmetry
        var first = [Int32](repeating: 0, count: nodes.count + 1)
        for a in arcs { first[Int(a.from) + 1] += 1 }
        for k in 0..<nodes.count { first[k + 1] += first[k] }
        firstArc = first
    }

    /// Builds the general topology (every predecessor-closed stage of at most `units` MAC tasks)
    /// when it has at most `maxArcs` arcs, else the contiguous one; reduced by interchangeable
    /// branches (`BranchSymmetry`) unless `reduceSymmetry` is false. `stageIndex` interns a stage
    /// (ascending task indices) in the shared stage table.
    static func build(_ w: CompiledWorkload, units: Int, maxArcs: Int, reduceSymmetry: Bool = true,
                      stageIndex: (ArraySlice<Int>) -> Int32) -> ScheduleTopology {
        if let t = general(w, units: units, maxArcs: maxArcs, reduceSymmetry: reduceSymmetry, stageIndex: stageIndex) { return t }
        return contiguous(w, units: units, stageIndex: stageIndex)
    }

    static func general(_ w: CompiledWorkload, units: Int, maxArcs: Int, reduceSymmetry: Bool = true,
                        stageIndex: (ArraySlice<Int>) -> Int32) -> ScheduleTopology? {
        let n = w.tasks.count
        let preds: [[Int]] = w.tasks.map { t in (t.predecessorStart..<(t.predecessorStart + t.predecessorCount)).map { w.predecessorTask[$0] } }
        var index: [TaskSet: Int] = [TaskSet(count: n): 0]
        var nodes = [TaskSet(count: n)]
        var arcs: [Arc] = []
        var frontier = [0]
        let symmetry = reduceSymmetry ? BranchSymmetry.detect(w, preds: preds) : nil
        var steps = StageEnumerator(w, preds: preds, units: units, symmetry: symmetry)
        while let from = frontier.popLast() {
            let done = nodes[from]
            guard steps.enumerate(from: done, budget: maxArcs - arcs.count) else { return nil }
            for stage in steps.stages {
                var next = done
                for t in stage { next.insert(t) }
                if let s = symmetry { next = s.canonical(next) }
                var to = index[next]
                if to == nil {
                    to = nodes.count
                    index[next] = to
                    nodes.append(next)
                    frontier.append(to!)
                }
                arcs.append(Arc(from: Int32(from), to: Int32(to!), stage: stageIndex(stage[...])))
            }
        }
        // Renumber nodes by size so that every arc goes from a lower to a higher index.
        let order = nodes.indices.sorted { (nodes[$0].count, $0) < (nodes[$1].count, $1) }
        var newIndex = [Int32](repeating: 0, count: nodes.count)
        for (k, old) in order.enumerated() { newIndex[old] = Int32(k) }
        let sorted = order.map { nodes[$0] }
        for k in arcs.indices {
            arcs[k].from = newIndex[Int(arcs[k].from)]
            arcs[k].to = newIndex[Int(arcs[k].to)]
        }
        arcs.sort { ($0.from, $0.to) < ($1.from, $1.to) }
        var consumers = [[Int]](repeating: [], count: n)
        for (c, ps) in preds.enumerated() { for p in ps { consumers[p].append(c) } }
        let live = sorted.map { done -> Double in
            var bytes = 0.0
            for i in 0..<n where done.contains(i) && consumers[i].contains(where: { !done.contains($0) }) { bytes += w.tasks[i].outputBytes }
            return bytes
        }
        return ScheduleTopology(nodes: sorted, arcs: arcs, space: .general, liveBytes: live, symmetry: symmetry)
    }

    /// Stages that are contiguous segments of the topological order, each of at most `units` MAC
    /// tasks. (Segments that do not fit the memory are cut per point, `ReconfigurableCosts`.)
    static func contiguous(_ w: CompiledWorkload, units: Int, stageIndex: (ArraySlice<Int>) -> Int32) -> ScheduleTopology {
        let n = w.tasks.count
        let all = Array(0..<n)
        var arcs: [Arc] = []
        for i in 0..<n {
            var macs = 0
            for j in (i + 1)...n {
                if w.tasks[j - 1].isMAC { macs += 1 }
                if macs > units { break }
                arcs.append(Arc(from: Int32(i), to: Int32(j), stage: stageIndex(all[i..<j])))
            }
        }
        let nodes = (0...n).map { k in TaskSet(count: n, prefix: k) }
        let live = (0...n).map { k in k == 0 || k == n ? 0 : w.liveBytesAtBoundary[k] }
        return ScheduleTopology(nodes: nodes, arcs: arcs, space: .contiguous, liveBytes: live)
    }
}

/// A set of task indices (a completed-task set of the schedule graph), any number of tasks.
public struct TaskSet: Hashable, Sendable {
    public private(set) var words: [UInt64]
    /// Tasks in the set.
    public private(set) var count = 0

    /// The empty set over `n` tasks, or its first `prefix` tasks.
    public init(count n: Int, prefix: Int = 0) {
        words = [UInt64](repeating: 0, count: max(1, (n + 63) / 64))
        for i in 0..<prefix { insert(i) }
    }

    @inline(__always)
    public func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    @inline(__always)
    public mutating func insert(_ i: Int) {
        if !contains(i) {
            words[i >> 6] |= 1 << UInt64(i & 63)
            count += 1
        }
    }

    @inline(__always)
    public mutating func remove(_ i: Int) {
        if contains(i) {
            words[i >> 6] &= ~(1 << UInt64(i & 63))
            count -= 1
        }
    }
}

/// Lists the stages that may run next from a completed-task set: sets of tasks whose
/// predecessors are done or in the stage, with at most `units` MAC tasks. Only tasks that could
/// join some such stage are walked (their not-done predecessors could join too, and no chain of
/// them needs more MAC tasks than units), depth first in topological order, a task in before
/// out: the stages and their order are those of a walk over every remaining task. With branch
/// symmetry, a branch's task joins only if the same position of the previous branch joined when
/// both are in the same state (advancements non-increasing along same-state branches: one stage
/// per class of stages equal up to swapping those branches).
struct StageEnumerator {
    let w: CompiledWorkload
    let preds: [[Int]]
    let units: Int
    let symmetry: BranchSymmetry?
    /// Per task, the task that must be in the stage for it to join, or -1 (`BranchSymmetry.guards`).
    private var guardOf: [Int]
    private(set) var stages: [[Int]] = []
    private var candidates: [Int] = []
    private var macDepth: [Int]
    private var inStage: [Bool]
    private var list: [Int] = []
    private var done: TaskSet

    init(_ w: CompiledWorkload, preds: [[Int]], units: Int, symmetry: BranchSymmetry? = nil) {
        self.w = w
        self.preds = preds
        self.units = units
        self.symmetry = symmetry
        guardOf = [Int](repeating: -1, count: w.tasks.count)
        macDepth = [Int](repeating: 0, count: w.tasks.count)
        inStage = [Bool](repeating: false, count: w.tasks.count)
        done = TaskSet(count: w.tasks.count)
    }

    /// Fills `stages`; false when there are more than `budget`.
    mutating func enumerate(from done: TaskSet, budget: Int) -> Bool {
        self.done = done
        symmetry?.guards(done, into: &guardOf)
        stages.removeAll(keepingCapacity: true)
        candidates.removeAll(keepingCapacity: true)
        for t in 0..<w.tasks.count where !done.contains(t) {
            var depth = 0
            var joinable = true
            for p in preds[t] where !done.contains(p) {
                if macDepth[p] < 0 { joinable = false; break }
                depth = max(depth, macDepth[p])
            }
            depth += w.tasks[t].isMAC ? 1 : 0
            macDepth[t] = joinable && depth <= units ? depth : -1
            if macDepth[t] >= 0 { candidates.append(t) }
        }
        return visit(0, macs: 0, budget: budget)
    }

    private mutating func visit(_ k: Int, macs: Int, budget: Int) -> Bool {
        if stages.count > budget { return false }
        if k == candidates.count {
            if !list.isEmpty { stages.append(list) }
            return true
        }
        let t = candidates[k]
        let isMAC = w.tasks[t].isMAC
        let g = guardOf[t]
        if (!isMAC || macs < units) && (g < 0 || inStage[g]) && preds[t].allSatisfy({ inStage[$0] || done.contains($0) }) {
            inStage[t] = true
            list.append(t)
            let ok = visit(k + 1, macs: macs + (isMAC ? 1 : 0), budget: budget)
            list.removeLast()
            inStage[t] = false
            if !ok { return false }
        }
        return visit(k + 1, macs: macs, budget: budget)
    }
}
