import Foundation
import IntarsiaCore

/// The co-exploration's work that is independent item by item, shared out among `workers`
/// threads and reduced in the sequential order (`Parallel`): pricing the distinct
/// sub-accelerators, and the exact method's programs.
///
/// The exact method solves its GLPK programs on several threads at once. That is safe with
/// Debian's libglpk (5.0): it is built with thread-local storage (`env/tls.c` keeps the
/// environment pointer in a `thread_local` variable when the compiler has one; the shared
/// object has a TLS segment and imports `__tls_get_addr`), so each thread has its own GLPK
/// environment, and `intarsia_glpk_solve` (CGLPKGuard) builds, solves and frees its problem
/// inside one call on the calling thread, with its terminal and error hooks set on that thread's
/// environment.
extension CoExploration {
    /// Every (hardware candidate, slot) numbered by its distinct sub-accelerator (first seen
    /// first), and each distinct one's costs per task, priced on `workers` threads.
    static func price(tasks: [Task], hardware: any CoHardwareSpace, workers: Int) throws
        -> (slot: [[Int]], slotCosts: [[(cycles: [Double], energy: [Double])]]) {
        let networks = tasks.map { TaskNetworks(space: $0.space, dataType: $0.dataType) }
        var distinct: [AnyHashable: Int] = [:]
        var units: [(h: Int, s: Int)] = []
        var slot: [[Int]] = []
        for h in 0..<hardware.count {
            slot.append((0..<hardware.slotCount).map { s in
                let key = hardware.unitKey(h, slot: s)
                if let i = distinct[key] { return i }
                distinct[key] = units.count
                units.append((h, s))
                return units.count - 1
            })
        }
        let n = tasks.count, first = units
        // One item per (distinct unit, task), in the order a sequential loop prices them: the
        // error of the first failing item is the one thrown.
        let costs = try Parallel.map(first.count * n, workers: workers) { k in
            try hardware.costs(first[k / n].h, slot: first[k / n].s, task: tasks[k % n], networks: networks[k % n])
        }
        return (slot, first.indices.map { u in Array(costs[(u * n)..<((u + 1) * n)]) })
    }

    /// The exact optimum: for every hardware candidate and assignment, each task's cell by the
    /// multiple-choice program (`ExactSelection`), proven optimal per candidate; the best over all.
    /// `unproven` counts the candidates whose program ended without a proof (a time limit or a
    /// numerical failure of the solver, or a solution GLPK did not prove optimal): when it is
    /// not 0 the best found is not a proven optimum, and the output says so. The programs are
    /// solved on `workers` threads; the best is chosen in candidate order (the first of equal
    /// ones), so the answer does not depend on `workers`.
    public func exact() throws -> (best: Outcome?, candidates: Int, seconds: Double, unproven: Int) {
        if tasks.contains(where: { $0.table == nil }) { throw NoExact() }
        // Power is energy over latency: neither a constraint of the program nor kept by the
        // pruning of dominated architectures (a faster, frugal architecture can draw more power).
        if constraints.maxPowerW != nil { throw NoExactUnderPower() }
        let start = Date()
        let usable = (0..<hardware.count).filter { !hardwareBroken[$0] }
        let assignments = self.assignments
        let frontier = frontiers(units: Set(usable.flatMap { slot[$0] }).sorted())
        let maxCycles = (constraints.maxLatencyMs ?? .infinity) * clockMHz * 1e3
        let maxPJ = (constraints.maxEnergyMJ ?? .infinity) * 1e9
        let solved = Parallel.map(usable.count * assignments.count, workers: workers) { k -> (outcome: Outcome?, unproven: Bool) in
            let h = usable[k / assignments.count], assignment = assignments[k % assignments.count]
            let selTasks = tasks.enumerated().map { t, task in
                ExactSelection.Task(name: task.name, weight: task.weight, subAccelerator: assignment[t], minimumAccuracy: task.minimumAccuracy,
                                    candidates: frontier[SIMD2(slot[h][assignment[t]], t)]!)
            }
            let choice: ExactSelection.Choice
            do {
                choice = try ExactSelection.solve(selTasks, maxLatency: maxCycles, maxEnergy: maxPJ, staticEnergyPerLatency: staticPJPerCycle, prePruned: true)
            } catch is ExactSelection.Unproven {
                return (nil, true)
            } catch {
                return (nil, false)  // infeasible on this candidate: proven
            }
            return (evaluate(Design(hardware: h, assignment: assignment, cells: choice.architectures)), choice.status != .optimal)
        }
        var best: Outcome?
        for s in solved {
            if let o = s.outcome, o.feasible && (best == nil || o.weightedAccuracy > best!.weightedAccuracy + 1e-9) { best = o }
        }
        return (best, solved.count, Date().timeIntervalSince(start), solved.filter(\.unproven).count)
    }

    /// The non-dominated architectures of every task on each of `units` (they depend only on the
    /// task and its sub-accelerator), keyed by (unit, task).
    func frontiers(units: [Int]) -> [SIMD2<Int>: [ExactSelection.Candidate]] {
        let n = tasks.count
        let fronts = Parallel.map(units.count * n, workers: workers) { k -> [ExactSelection.Candidate] in
            ExactSelection.nonDominated(exactCandidates(unit: units[k / n], task: k % n))
        }
        var out: [SIMD2<Int>: [ExactSelection.Candidate]] = [:]
        for (k, f) in fronts.enumerated() { out[SIMD2(units[k / n], k % n)] = f }
        return out
    }
}
