import Foundation

/// What measured figures add to a design's check: architectures their source could not price
/// (failed evaluations, with the reason) and the memory spec.
extension CoExploration {
    /// The measured figures of every distinct sub-accelerator (numbered as `slotCosts`) per task.
    static func measuredFigures(tasks: [Task], hardware: any CoHardwareSpace, slot: [[Int]]) -> [[MeasuredFigures?]] {
        var out = [[MeasuredFigures?]?](repeating: nil, count: (slot.joined().max() ?? -1) + 1)
        for (h, units) in slot.enumerated() {
            for (s, u) in units.enumerated() where out[u] == nil { out[u] = tasks.map { hardware.measuredFigures(h, slot: s, task: $0) } }
        }
        return out.map { $0 ?? [] }
    }

    /// The figures that priced task t in design d, nil where a model did.
    public func measuredFigures(_ d: Design, task t: Int) -> MeasuredFigures? {
        let row = measured[slot[d.hardware][d.assignment[t]]]
        return t < row.count ? row[t] : nil
    }

    /// A design's failed hardware evaluations and memory violations.
    func measuredViolations(_ d: Design) -> [String] {
        var v: [String] = []
        for t in tasks.indices {
            guard let f = measuredFigures(d, task: t) else { continue }
            if let why = f.failed[d.cells[t]] { v.append("hardware_cost[\(tasks[t].name)] failed: \(why)") }
            if let limit = memoryLimitKB, let m = f.memoryKB?[d.cells[t]], m > limit {
                v.append("memory_kb[\(tasks[t].name)] \(String(format: "%.4g", m)) > \(limit)")
            }
        }
        return v
    }

    /// Whether some sub-accelerator prices architecture a of task t (a model, or measured
    /// figures that did not fail on it).
    func pricedSomewhere(_ a: Int, task t: Int) -> Bool {
        measured.contains { row in t >= row.count || row[t] == nil || row[t]!.failed[a] == nil }
    }

    /// How far a design's measured figures overshoot: each failed hardware evaluation counts as
    /// far beyond every spec (1e6), a memory excess by its relative size; so a failed evaluation
    /// ranks below every design the sources priced.
    func measuredOvershoot(_ d: Design) -> Double {
        var x = 0.0
        for t in tasks.indices {
            guard let f = measuredFigures(d, task: t) else { continue }
            if f.failed[d.cells[t]] != nil { x += 1e6 }
            if let limit = memoryLimitKB, let m = f.memoryKB?[d.cells[t]], m > limit { x += m / limit - 1 }
        }
        return x
    }

    /// The architectures of task t on distinct sub-accelerator `unit` the exact method may choose:
    /// all of them, less those their source could not price and those over the memory spec.
    func exactCandidates(unit: Int, task t: Int) -> [ExactSelection.Candidate] {
        let c = slotCosts[unit][t], acc = tasks[t].table!
        let f = t < measured[unit].count ? measured[unit][t] : nil
        return acc.indices.compactMap { a in
            if let f, f.failed[a] != nil { return nil }
            if let f, let limit = memoryLimitKB, let m = f.memoryKB?[a], m > limit { return nil }
            return .init(index: a, accuracy: acc[a], latency: c.cycles[a], energy: c.energy[a])
        }
    }

    /// Per task, which kind priced its figures on design d's sub-accelerator ("model" or e.g.
    /// "latency+energy=table"), for the comparison table.
    public func costProvenance(_ d: Design) -> String {
        tasks.indices.map { "\(tasks[$0].name):\(measuredFigures(d, task: $0)?.provenance(architecture: d.cells[$0]) ?? "model")" }.joined(separator: " ")
    }

    /// Whether any task anywhere is priced by measured figures.
    public var hasMeasuredCosts: Bool { measured.contains { $0.contains { $0 != nil } } }
}
