import IntarsiaCore
import IntarsiaExplore

/// Recombination by the cost model: what the oracle has answered per task and cell, and the
/// most accurate feasible design made of answered cells.
extension CoExploration {
    // MARK: What the oracle has answered

    /// A cell whose accuracy on a task is known, with its cost on one sub-accelerator.
    /// As the kernel's `Dominance` sees it: cycles, energy and negated accuracy, all minimised.
    struct Known: Scored {
        var cell: Int
        var accuracy: Double
        var cycles: Double
        var energy: Double

        var feasible: Bool { true }
        var violation: Double { 0 }
        var objectiveCount: Int { 3 }
        func objective(_ k: Int) -> Double {
            switch k {
            case 0: return cycles
            case 1: return energy
            default: return -accuracy
            }
        }
    }

    /// The accuracies answered so far, per task and cell (a cell's accuracy on a task does not
    /// depend on the hardware or on the other tasks' cells), and for every distinct
    /// sub-accelerator and task the answered cells no other answered cell dominates (as
    /// accurate or more, no more cycles, no more energy), most accurate first.
    struct Knowledge {
        var accuracy: [[Int: Double]]
        var frontier: [[[Known]]]     // [distinct sub-accelerator][task]

        init(_ p: CoExploration) {
            accuracy = p.tasks.map { _ in [:] }
            frontier = p.slotCosts.map { _ in p.tasks.map { _ in [] } }
        }

        func knows(_ t: Int, _ cell: Int) -> Bool { accuracy[t][cell] != nil }

        /// Records what an evaluation answered (not the tasks whose oracle failed).
        mutating func learn(_ o: Outcome, _ p: CoExploration) {
            guard o.accuracyAsked else { return }
            for (t, task) in p.tasks.enumerated() where accuracy[t][o.design.cells[t]] == nil {
                if o.violations.contains(where: { $0.hasPrefix("oracle[\(task.name)] failed") }) { continue }
                let c = o.design.cells[t], a = o.accuracies[t]
                accuracy[t][c] = a
                // A cell below the task's minimum can never be part of a feasible design.
                if let m = task.minimumAccuracy, a < m { continue }
                for i in p.slotCosts.indices {
                    let k = Known(cell: c, accuracy: a, cycles: p.slotCosts[i][t].cycles[c], energy: p.slotCosts[i][t].energy[c])
                    var f = frontier[i][t]
                    if f.contains(where: { Dominance.weaklyDominates($0, k) }) { continue }
                    f.removeAll { Dominance.weaklyDominates(k, $0) }
                    let at = f.firstIndex { $0.accuracy < k.accuracy } ?? f.count
                    f.insert(k, at: at)
                    frontier[i][t] = f
                }
            }
        }
    }

    /// Recombination by the cost model: the most accurate feasible design made only of cells whose
    /// accuracy is known for their task, over every hardware candidate (`recombinationHardware`) and assignment (a
    /// branch-and-bound over each task's non-dominated known cells on its sub-accelerator; the
    /// power spec is checked on complete designs). With `fixed`, that task takes that cell (its
    /// accuracy need not be known) and the others are chosen around it. Returns the design and its
    /// weighted accuracy (without the fixed task's); nil when no combination is feasible.
    func recombine(_ k: Knowledge, fixed: (task: Int, cell: Int)? = nil, checks: inout Int) -> (design: Design, value: Double)? {
        let T = tasks.count, S = hardware.slotCount
        let weights = tasks.map(\.weight)
        var best: (design: Design, value: Double)?
        var bestValue = -Double.infinity
        var cells = [Int](repeating: 0, count: T)
        var loads = [Double](repeating: 0, count: S)
        var lists = [[Known]](repeating: [], count: T)
        var rest = [Double](repeating: 0, count: T + 1)
        for h in recombinationHardware {
            let s = slot[h]
            for asg in assignments {
                var empty = false
                for t in 0..<T {
                    if let f = fixed, f.task == t {
                        let c = slotCosts[s[asg[t]]][t]
                        lists[t] = [Known(cell: f.cell, accuracy: 0, cycles: c.cycles[f.cell], energy: c.energy[f.cell])]
                    } else {
                        lists[t] = k.frontier[s[asg[t]]][t]
                    }
                    if lists[t].isEmpty { empty = true; break }
                }
                if empty { continue }
                rest[T] = 0
                for t in stride(from: T - 1, through: 0, by: -1) { rest[t] = rest[t + 1] + weights[t] * lists[t][0].accuracy }
                if rest[0] <= bestValue { continue }
                for i in 0..<S { loads[i] = 0 }
                func dfs(_ t: Int, _ value: Double, _ energy: Double) {
                    if t == T {
                        checks += 1
                        let (ms, mj) = figures(loads: loads.max() ?? 0, dynamicPJ: energy)
                        let power = ms > 0 ? mj / ms : 0
                        if let l = constraints.maxPowerW, power > l { return }
                        if let l = constraints.maxEnergyMJ, mj > l { return }
                        bestValue = value
                        best = (Design(hardware: h, assignment: asg, cells: cells), value)
                        return
                    }
                    for c in lists[t] {
                        let v = value + weights[t] * c.accuracy
                        if v + rest[t + 1] <= bestValue { break }
                        let load = loads[asg[t]] + c.cycles, e = energy + c.energy
                        if let l = constraints.maxLatencyMs, load / (clockMHz * 1e3) > l { continue }
                        // The static energy grows with the latency, which only grows deeper down.
                        if let l = constraints.maxEnergyMJ, figures(loads: max(load, loads.max() ?? 0), dynamicPJ: e).mj > l { continue }
                        let saved = loads[asg[t]]
                        loads[asg[t]] = load
                        cells[t] = c.cell
                        dfs(t + 1, v, e)
                        loads[asg[t]] = saved
                    }
                }
                dfs(0, 0, 0)
            }
        }
        return best
    }
}
