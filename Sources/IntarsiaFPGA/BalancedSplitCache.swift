import Foundation
import IntarsiaCore

/// The balanced splits a model has solved (`allocation: balanced`), kept across evaluations:
/// points that differ only in knobs the lane balancer does not read share one solve. The lane
/// balancer reads the MAC tasks' cycles and weight buffers (lanes, word width, weight load,
/// loop flattening and pipelining) and the memory left beside the scratchpad, not the stream
/// width, the matrix-vector mode, write waits, the spill policy or compute units. The key is the
/// whole design point with those knobs set to fixed values (`key`), so a knob added later is in
/// the key. Shared by copies of the model and by a search's threads; a lock guards it. It holds at
/// most `maxEntries` splits (a split is one lane count per task and its status: a few MB at
/// the cap); past that it is emptied and refilled on demand (results do not change, only the
/// time).
final class BalancedSplitCache: @unchecked Sendable {
    static let maxEntries = 10_000
    private let lock = NSLock()
    private var splits: [StageCostKey: Held] = [:]

    /// A split and an evaluation holding only the statuses it implies (`record(laneSplit:)`),
    /// made once per split: a point takes them by reference (`takeStatuses`), not made anew.
    struct Held {
        var split: BalancedSplit
        var recorded: Evaluation

        init(_ split: BalancedSplit) {
            self.split = split
            recorded = Evaluation()
            recorded.record(laneSplit: split.status)
        }
    }

    /// The point with the knobs the lane balancer does not read set to fixed values
    /// (`StageCostKey`'s stage-balancer variant fixes compute units, spill and allocation).
    static func key(_ p: DesignPoint) -> StageCostKey {
        var q = p
        q.streamElements = 0
        q.matVec = .auto
        q.writeWait = false
        return StageCostKey(q, balancer: true)
    }

    /// The split held for `key`, if any.
    func held(_ key: StageCostKey) -> Held? {
        lock.lock()
        defer { lock.unlock() }
        return splits[key]
    }

    /// Keeps `split` for `key` (emptied first when full).
    func keep(_ split: Held, for key: StageCostKey) {
        lock.lock()
        if splits.count >= Self.maxEntries { splits.removeAll(keepingCapacity: true) }
        splits[key] = split
        lock.unlock()
    }
}

extension FPGAModel {
    /// The balanced split of a dataflow point (`allocation: balanced`) from the plugged-in lane
    /// balancer, solved once per key (`BalancedSplitCache`); without a balancer, none, and the
    /// status says so.
    func balancedSplit(_ p: DesignPoint) -> BalancedSplitCache.Held {
        guard let balancer = laneBalancer else {
            return .init(BalancedSplit(lanes: nil, status: .fallback("no stage balancer in this model")))
        }
        // Held splits are read without a closure over the model (a closure copied the whole
        // `FPGAModel`, its arrays retained and released: about 2,500 instructions a point).
        let key = BalancedSplitCache.key(p)
        if let held = balancedCache.held(key) { return held }
        let split = BalancedSplitCache.Held(balancer(self, p))
        balancedCache.keep(split, for: key)
        return split
    }
}

extension Evaluation {
    /// Records how a balanced split was found: `laneSplit`, and the solver status it implies.
    mutating func record(laneSplit split: LaneSplitStatus) {
        let solver: SolverStatus
        switch split.state {
        case .optimal: solver = .optimal
        case .feasible: solver = .feasible(gap: split.gap ?? .infinity)
        case .infeasible, .fallback: solver = .fallback(reason: split.description)
        }
        set(solverStatus: solver, laneSplit: split)
    }
}
