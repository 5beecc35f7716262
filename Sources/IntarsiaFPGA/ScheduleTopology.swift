import Foundation
import IntarsiaCore

/// The shape of the reconfigurable template's schedule graph for one workload and one number of
/// compute units: which completed-task sets exist (nodes) and which stages lead from one to
/// another (arcs), without any cost. It depends on nothing else of a design point, so a model
/// builds it once per `compute_units` value and re-weights it for every point
/// (`ReconfigurableCosts`). Node and arc order are those `ScheduleGraph` has always used (nodes
/// by size, then by discovery; arcs by source, then target), so ties between equally fast
/// schedules break as before.
struct ScheduleTopology: Sendable {
    struct Arc: Sendable {
        var from: Int32
        var to: Int32
        /// Index of the arc's stage in the model's stage table (a stage's cost depends only on
        /// its tasks, so every arc running the same tasks shares it).
        var stage: Int32
    }

    /// Completed-task sets as bit masks, by node index; node 0 is the empty set, the last all tasks.
    var nodes: [UInt64]
    var arcs: [Arc]
    var space: ScheduleGraph.Space
    /// Bytes of tensors alive at each node (produced, still needed by a task not yet run).
    var liveBytes: [Double]

    /// Builds the general topology (every predecessor-closed stage of at most `units` MAC tasks)
    /// when it has at most `maxArcs` arcs, else the contiguous one. `stageIndex` interns a stage
    /// (ascending task indices) in the shared stage table.
    static func build(_ w: CompiledWorkload, units: Int, maxArcs: Int, stageIndex: (ArraySlice<Int>) -> Int32) -> ScheduleTopology {
        if w.tasks.count <= 64, let t = general(w, units: units, maxArcs: maxArcs, stageIndex: stageIndex) { return t }
        return contiguous(w, units: units, stageIndex: stageIndex)
    }

    static func general(_ w: CompiledWorkload, units: Int, maxArcs: Int, stageIndex: (ArraySlice<Int>) -> Int32) -> ScheduleTopology? {
        let n = w.tasks.count
        var predMask = [UInt64](repeating: 0, count: n)
        var consumers = [UInt64](repeating: 0, count: n)
        for (c, t) in w.tasks.enumerated() {
            for e in t.predecessorStart..<(t.predecessorStart + t.predecessorCount) {
                predMask[c] |= 1 << UInt64(w.predecessorTask[e])
                consumers[w.predecessorTask[e]] |= 1 << UInt64(c)
            }
        }
        var index: [UInt64: Int] = [0: 0]
        var nodes: [UInt64] = [0]
        var arcs: [Arc] = []
        var frontier = [UInt64(0)]
        var steps: [(UInt64, [Int])] = []
        var list: [Int] = []
        while let done = frontier.popLast() {
            steps.removeAll(keepingCapacity: true)
            let remaining = (0..<n).filter { done & (1 << UInt64($0)) == 0 }
            // Depth-first over the remaining tasks in topological order: a task joins only when its
            // predecessors are done or in the stage; at most `units` MAC tasks.
            func visit(_ k: Int, _ stage: UInt64, _ macs: Int) {
                if steps.count + arcs.count > maxArcs { return }
                if k == remaining.count {
                    if stage != 0 { steps.append((stage, list)) }
                    return
                }
                let t = remaining[k]
                let isMAC = w.tasks[t].isMAC
                if predMask[t] & ~(done | stage) == 0 && (!isMAC || macs < units) {
                    list.append(t)
                    visit(k + 1, stage | (1 << UInt64(t)), macs + (isMAC ? 1 : 0))
                    list.removeLast()
                }
                visit(k + 1, stage, macs)
            }
            visit(0, 0, 0)
            if steps.count + arcs.count > maxArcs { return nil }
            let from = Int32(index[done]!)
            for (stage, tasks) in steps {
                let next = done | stage
                var to = index[next]
                if to == nil {
                    to = nodes.count
                    index[next] = to
                    nodes.append(next)
                    frontier.append(next)
                }
                arcs.append(Arc(from: from, to: Int32(to!), stage: stageIndex(tasks[...])))
            }
        }
        // Renumber nodes by size so that every arc goes from a lower to a higher index.
        let order = nodes.indices.sorted { (nodes[$0].nonzeroBitCount, $0) < (nodes[$1].nonzeroBitCount, $1) }
        var newIndex = [Int32](repeating: 0, count: nodes.count)
        for (k, old) in order.enumerated() { newIndex[old] = Int32(k) }
        let sorted = order.map { nodes[$0] }
        for k in arcs.indices {
            arcs[k].from = newIndex[Int(arcs[k].from)]
            arcs[k].to = newIndex[Int(arcs[k].to)]
        }
        arcs.sort { ($0.from, $0.to) < ($1.from, $1.to) }
        let live = sorted.map { done -> Double in
            var bytes = 0.0
            for i in 0..<n where done & (1 << UInt64(i)) != 0 && consumers[i] & ~done != 0 { bytes += w.tasks[i].outputBytes }
            return bytes
        }
        return ScheduleTopology(nodes: sorted, arcs: arcs, space: .general, liveBytes: live)
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
        let nodes = (0...n).map { k -> UInt64 in k >= 64 ? ~0 : (1 << UInt64(k)) - 1 }  // prefixes (masks exact only below 64 tasks)
        let live = (0...n).map { k in k == 0 || k == n ? 0 : w.liveBytesAtBoundary[k] }
        return ScheduleTopology(nodes: nodes, arcs: arcs, space: .contiguous, liveBytes: live)
    }
}
