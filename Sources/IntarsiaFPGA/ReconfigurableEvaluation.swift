import IntarsiaCore

/// The per-point weights of a schedule topology: the memory a stage's buffers may use and the
/// spill at every node (the boundary before a stage leaving it; none from the empty set).
struct ArcWeights {
    var bram: Double
    var uram: Double
    var boundary: [(cycles: Double, bytes: Double)]

    init(_ model: FPGAModel, _ p: DesignPoint, _ topology: ScheduleTopology) {
        let env = model.platformEnvironment.with(p)
        let caps = model.memoryCaps(p, env)
        bram = caps.bram
        uram = caps.uram
        let scratch = Double(p.scratchpadKiB) * 1024
        boundary = topology.liveBytes.enumerated().map { node, live in
            node == 0 ? (0, 0) : StageModel.spill(liveBytes: live, scratchpadBytes: scratch, policy: p.spill, env: env)
        }
    }
}

extension FPGAModel {
    /// The reconfigurable template's evaluation without building a schedule: the shortest path
    /// over the model's cached topology, weighted with the point's cached stage costs, in time
    /// linear in arcs and without heap allocation once the caches hold the point's knobs. The
    /// same path, sums and figures as `evaluate(p, schedule: partition(p))`.
    func evaluateReconfigurableFast(_ p: DesignPoint) -> Evaluation {
        let (topology, table) = reconfigurableCache.lookup(self, p)
        let env = platformEnvironment.with(p)
        let caps = memoryCaps(p, env)
        let scratch = Double(p.scratchpadKiB) * 1024
        let n = topology.nodes.count
        var totals = StageTotals()
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * n) { d in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * n) { v in
                // d: distance, then boundary cycles and bytes per node; v: arc in per node, then the path.
                for k in 0..<n {
                    d[k] = k == 0 ? 0 : .infinity
                    let s = k == 0 ? (cycles: 0.0, bytes: 0.0)
                        : StageModel.spill(liveBytes: topology.liveBytes[k], scratchpadBytes: scratch, policy: p.spill, env: env)
                    d[n + k] = s.cycles
                    d[2 * n + k] = s.bytes
                    v[k] = -1
                }
                topology.arcs.withUnsafeBufferPointer { arcs in
                    topology.firstArc.withUnsafeBufferPointer { first in
                        if caps.bram >= table.quickestMemory.bram18k && caps.uram >= table.quickestMemory.uram {
                            // Every stage's quickest split fits: one number per arc, nothing to check.
                            table.quickestCycles.withUnsafeBufferPointer { q in Self.relax(arcs, first, d, v, n: n, contiguous: false) { q[$0] } }
                        } else {
                            table.entries.withUnsafeBufferPointer { e in
                                table.figures.withUnsafeBufferPointer { f in
                                    Self.relax(arcs, first, d, v, n: n, contiguous: topology.space == .contiguous) { s in
                                        let k = StageCostTable.fastest(e[s], f, bram: caps.bram, uram: caps.uram)
                                        return k < 0 ? -1 : f[k].cycles
                                    }
                                }
                            }
                        }
                    }
                    // Walk back from the sink, then sum the stages in order as `evaluate` does.
                    var length = 0
                    var node = n - 1
                    while node != 0 {
                        v[n + length] = Int32(node)
                        length += 1
                        node = Int(arcs[Int(v[node])].from)
                    }
                    for step in stride(from: length - 1, through: 0, by: -1) {
                        let to = Int(v[n + step])
                        let from = Int(arcs[Int(v[to])].from)
                        let spill = step == length - 1 ? (cycles: 0.0, bytes: 0.0) : (cycles: d[n + from], bytes: d[2 * n + from])
                        let split = table.fastest(Int(arcs[Int(v[to])].stage), bram: caps.bram, uram: caps.uram)  // as the pass chose it
                        totals.add(table.splits[split].cost, spill: spill)
                    }
                    totals.stages = length
                }
            }
        }
        var e = finish(p, env: env, totals: totals)
        e.scheduleSpace = topology.space
        if !table.unproven.isEmpty { e.solverStatus = table.splitStatus(over: topology.arcs.lazy.map(\.stage), names: stageNames) }
        return e
    }

    /// The shortest-path pass over arcs sorted by source (node k's arcs from `first[k]` to
    /// `first[k + 1]`): `d[0..<n]` distances (from 0 at the empty set), `d[n..<2n]` boundary
    /// cycles; records each node's arc in `v[0..<n]`. `stageCycles` gives a stage's cycles at its
    /// fastest split whose buffers fit, or a negative number when none fits; contiguous segments
    /// stop growing at the first that does not fit.
    @inline(__always)
    static func relax(_ arcs: UnsafeBufferPointer<ScheduleTopology.Arc>, _ first: UnsafeBufferPointer<Int32>,
                      _ d: UnsafeMutableBufferPointer<Double>, _ v: UnsafeMutableBufferPointer<Int32>,
                      n: Int, contiguous: Bool, stageCycles: (Int) -> Double) {
        for from in 0..<n {
            let base = d[from]
            guard base.isFinite else { continue }
            let boundary = d[n + from]
            for k in Int(first[from])..<Int(first[from + 1]) {
                let a = arcs[k]
                let cycles = stageCycles(Int(a.stage))
                guard cycles >= 0 else {
                    if contiguous { break }
                    continue
                }
                // The same sum, in the same order, as an arc's cost added to its source's distance.
                let dist = base + (cycles + boundary)
                let to = Int(a.to)
                if dist < d[to] {
                    d[to] = dist
                    v[to] = Int32(k)
                }
            }
        }
    }

    /// A fixed schedule's evaluation from cached stage costs: each stage at its fastest split
    /// (buffers unchecked, as `bestAllocations`), a stage of more MAC tasks than units left out
    /// and flagged. The same figures as `evaluate(p, schedule: bestAllocations(p, fixed))`; for
    /// the sequential template's schedule (one MAC task a stage, where every split is the same)
    /// the same as `evaluate(p, schedule: sequentialSchedule)`.
    func evaluateFixedFast(_ p: DesignPoint, _ which: ReconfigurableCache.FixedSchedule, _ schedule: Schedule) -> Evaluation {
        let fixed = fixedStageCosts(p, which, schedule)
        let units = units(p)
        let env = platformEnvironment.with(p)
        let scratch = Double(p.scratchpadKiB) * 1024
        let totals = fixed.totals(units: units, scratchBytes: scratch, policy: p.spill, env: env)
        var e = finish(p, env: env, totals: totals)
        if p.template.schedulePolicy == .chosenPerPoint {
            e.scheduleSpace = .given
            e.solverStatus = fixed.status
        }
        return e
    }
}
