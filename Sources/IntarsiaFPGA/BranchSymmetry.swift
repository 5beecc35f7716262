import IntarsiaCore

/// Interchangeable parallel branches of a task graph (the heads of a multi-head attention with
/// one task per head), so that the schedule graph is built over completed-task sets up to
/// swapping them.
///
/// A branch is a chain of tasks, each the predecessor of the next. A group holds branches that
/// are equal position by position: swapping any two of them (task at position p of one with task
/// at position p of the other, every other task fixed) maps every task's facts to equal facts
/// and its predecessors, with their edge kinds, to those of its image. That is an automorphism
/// of the graph, and the stage model and the live bytes read only facts, predecessor sets and
/// edge kinds, so a stage costs the same as its image from the image of its node (up to the
/// order floating-point sums take) and the shortest path over canonical nodes is the optimum.
///
/// Found by colour refinement (Weisfeiler–Lehman) over task facts and predecessor and successor
/// colours with edge kinds; tasks of equal colour linked into chains where the edges between
/// two colour classes match them one to one; chains of equal colour sequence grouped; each
/// group kept only when every swap of its first branch with another is verified to be an
/// automorphism, and only when its branches' task indices increase with the branch at every
/// position (`StageEnumerator` decides a branch's task after the previous branch's). Branches
/// that are not chains are left alone (no reduction for them).
public struct BranchSymmetry: Sendable {
    /// Per group, its branches in order of their first task, each its tasks along the chain.
    public private(set) var groups: [[[Int]]]
    /// Per task, the task at the same position of the previous branch of its group, or -1.
    private(set) var previous: [Int]

    /// The groups of `w`'s interchangeable chain branches, or nil when there are none.
    static func detect(_ w: CompiledWorkload, preds: [[Int]]) -> BranchSymmetry? {
        let n = w.tasks.count
        guard n > 1 else { return nil }
        var succs = [[(task: Int, kind: Int)]](repeating: [], count: n)
        var predKinds = [[(task: Int, kind: Int)]](repeating: [], count: n)
        for (c, t) in w.tasks.enumerated() {
            for e in t.predecessorStart..<(t.predecessorStart + t.predecessorCount) {
                let kind = EdgeKind.allCases.firstIndex(of: w.predecessorKinds[e])!
                predKinds[c].append((w.predecessorTask[e], kind))
                succs[w.predecessorTask[e]].append((c, kind))
            }
        }
        let colour = refinedColours(w, preds: predKinds, succs: succs)
        let chains = linkedChains(colour, preds: predKinds, succs: succs)
        var byPattern: [[Int]: [[Int]]] = [:]
        for chain in chains { byPattern[chain.map { colour[$0] }, default: []].append(chain) }
        var groups: [[[Int]]] = []
        for (_, branches) in byPattern where branches.count > 1 {
            let sorted = branches.sorted { $0[0] < $1[0] }
            let increasing = (1..<sorted.count).allSatisfy { b in zip(sorted[b - 1], sorted[b]).allSatisfy { $0 < $1 } }
            guard increasing, (1..<sorted.count).allSatisfy({ swapIsAutomorphism(sorted[0], sorted[$0], n: n, preds: predKinds) }) else { continue }
            groups.append(sorted)
        }
        guard !groups.isEmpty else { return nil }
        groups.sort { $0[0][0] < $1[0][0] }
        var previous = [Int](repeating: -1, count: n)
        for g in groups {
            for b in 1..<g.count { for (p, t) in g[b].enumerated() { previous[t] = g[b - 1][p] } }
        }
        return BranchSymmetry(groups: groups, previous: previous)
    }

    /// Stable colours: facts first, then refined by the multisets of (predecessor colour, edge
    /// kind) and (successor colour, edge kind) until no class splits.
    static func refinedColours(_ w: CompiledWorkload, preds: [[(task: Int, kind: Int)]], succs: [[(task: Int, kind: Int)]]) -> [Int] {
        var ids: [[Double]: Int] = [:]
        var colour = w.tasks.map { t -> Int in
            let key = [t.isMAC ? 1 : 0, t.rows, t.reduction, t.columns, t.macs, t.elementBytes, t.weightElementBytes,
                       t.offChipWeightBytes, t.outputBytes, t.outputElements, t.sfuPasses, t.chunks, t.externalInputBytes,
                       t.dspPerMAC, t.lutPerLane, t.ffPerLane, t.picojoulesPerMAC, t.isSink ? 1 : 0]
            if let id = ids[key] { return id }
            ids[key] = ids.count
            return ids.count - 1
        }
        var classes = ids.count
        while true {
            var next: [[Int]: Int] = [:]
            let refined = colour.indices.map { t -> Int in
                let key = [colour[t], -1] + preds[t].map { colour[$0.task] * 4 + $0.kind }.sorted()
                    + [-2] + succs[t].map { colour[$0.task] * 4 + $0.kind }.sorted()
                if let id = next[key] { return id }
                next[key] = next.count
                return next.count - 1
            }
            colour = refined
            if next.count == classes { return colour }
            classes = next.count
        }
    }

    /// Chains of tasks whose colour class has two or more members: a task is linked to its
    /// successor when their classes are the same size and the edges between them match the
    /// classes one to one. Components that are not simple chains are dropped.
    static func linkedChains(_ colour: [Int], preds: [[(task: Int, kind: Int)]], succs: [[(task: Int, kind: Int)]]) -> [[Int]] {
        let n = colour.count
        var size = [Int: Int]()
        for c in colour { size[c, default: 0] += 1 }
        var next = [Int](repeating: -1, count: n), inLinks = [Int](repeating: 0, count: n)
        var broken = [Bool](repeating: false, count: n)
        for u in 0..<n where size[colour[u]]! > 1 {
            for v in Set(succs[u].map(\.task)) where size[colour[v]] == size[colour[u]] && colour[v] != colour[u] {
                let out = Set(succs[u].map(\.task)).filter { colour[$0] == colour[v] }.count
                let into = Set(preds[v].map(\.task)).filter { colour[$0] == colour[u] }.count
                guard out == 1 && into == 1 else { continue }
                if next[u] >= 0 { broken[u] = true }
                next[u] = v
                inLinks[v] += 1
            }
        }
        var chains: [[Int]] = []
        for head in 0..<n where size[colour[head]]! > 1 && inLinks[head] == 0 {
            var chain = [head]
            var ok = !broken[head]
            var t = head
            while next[t] >= 0 {
                t = next[t]
                chain.append(t)
                if broken[t] || inLinks[t] > 1 { ok = false }
            }
            if ok { chains.append(chain) }
        }
        return chains
    }

    /// Whether swapping chains `a` and `b` position by position maps every task's predecessors
    /// (with edge kinds) onto its image's. Facts are equal by colour.
    static func swapIsAutomorphism(_ a: [Int], _ b: [Int], n: Int, preds: [[(task: Int, kind: Int)]]) -> Bool {
        var sigma = Array(0..<n)
        for (x, y) in zip(a, b) {
            sigma[x] = y
            sigma[y] = x
        }
        for t in 0..<n {
            let mapped = preds[t].map { sigma[$0.task] * 4 + $0.kind }.sorted()
            let image = preds[sigma[t]].map { $0.task * 4 + $0.kind }.sorted()
            if mapped != image { return false }
        }
        return true
    }
}

extension BranchSymmetry {
    /// Tasks done of each branch, per group (a prefix of the chain: the set is predecessor-closed).
    func prefixLengths(_ s: TaskSet) -> [[Int]] {
        groups.map { g in
            g.map { chain in
                var k = 0
                while k < chain.count && s.contains(chain[k]) { k += 1 }
                return k
            }
        }
    }

    /// The representative of a completed-task set's class: in each group the prefix lengths
    /// sorted non-increasing along the branches.
    func canonical(_ s: TaskSet) -> TaskSet {
        var c = s
        for (g, lengths) in zip(groups, prefixLengths(s)) {
            let sorted = lengths.sorted(by: >)
            if sorted == lengths { continue }
            for (b, chain) in g.enumerated() {
                for (p, t) in chain.enumerated() {
                    if p < sorted[b] { c.insert(t) } else { c.remove(t) }
                }
            }
        }
        return c
    }

    /// For a canonical node: per task, the task that must be in a stage for it to join (the
    /// same position of the previous branch when both branches are in the same state), or -1.
    /// Only branch tasks are written; the caller resets the others once.
    func guards(_ done: TaskSet, into guardOf: inout [Int]) {
        for (g, lengths) in zip(groups, prefixLengths(done)) {
            for b in 1..<g.count {
                let same = lengths[b] == lengths[b - 1]
                for t in g[b] { guardOf[t] = same ? previous[t] : -1 }
            }
        }
    }

    /// A path over canonical nodes as the stages of one schedule: each stage mapped through the
    /// branch permutation that takes its canonical start node to the set actually completed
    /// (within a group, the k-th longest canonical branch to the k-th longest actual one, ties
    /// by branch order), and per-task lanes moved with their tasks.
    func unfold(_ stages: [[Int]], taskLanes: [[Double]?], tasks n: Int) -> (stages: [[Int]], taskLanes: [[Double]?]) {
        var where_ = [(group: Int, branch: Int, position: Int)?](repeating: nil, count: n)
        for (gi, g) in groups.enumerated() {
            for (b, chain) in g.enumerated() { for (p, t) in chain.enumerated() { where_[t] = (gi, b, p) } }
        }
        var actual = groups.map { [Int](repeating: 0, count: $0.count) }
        var outStages: [[Int]] = []
        var outLanes: [[Double]?] = []
        for (stage, lanes) in zip(stages, taskLanes) {
            var sigma = Array(0..<n)
            for (gi, g) in groups.enumerated() {
                let len = actual[gi]
                let order = g.indices.sorted { len[$0] != len[$1] ? len[$0] > len[$1] : $0 < $1 }
                for k in g.indices where order[k] != k {
                    for p in g[k].indices { sigma[g[k][p]] = g[order[k]][p] }
                }
            }
            let mapped = stage.map { sigma[$0] }.sorted()
            outStages.append(mapped)
            outLanes.append(lanes.map { l in
                var m = l
                for t in l.indices where t < n { m[sigma[t]] = l[t] }
                return m
            })
            for t in mapped {
                if let w = where_[t] { actual[w.group][w.branch] = max(actual[w.group][w.branch], w.position + 1) }
            }
        }
        return (outStages, outLanes)
    }
}
