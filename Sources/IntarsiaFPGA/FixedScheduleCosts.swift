import Foundation
import IntarsiaCore

/// A fixed schedule's stages (the sequential template's, or a given one) for one
/// `StageCostKey`, in schedule order: each stage's cost at its quickest split (what
/// `evaluateFixedFast` adds up) and the live bytes before it (what its spill prices), in one
/// contiguous array, so that a point reads one reference and plain numbers instead of the whole
/// cost table (its five arrays retained and released per point) and the schedule's stages.
final class FixedStageCosts: @unchecked Sendable {
    struct Stage {
        var cost: StageCost
        var liveBytesBefore: Double
    }

    let key: StageCostKey
    let which: ReconfigurableCache.FixedSchedule
    let word: UInt64
    let stages: [Stage]
    /// A given schedule's status (`given`, or how its unproven stage splits ended); unused for
    /// the sequential template's schedule.
    let status: SolverStatus

    init(key: StageCostKey, which: ReconfigurableCache.FixedSchedule, stages: [Stage], status: SolverStatus) {
        self.key = key
        self.which = which
        word = key.mixedWord
        self.stages = stages
        self.status = status
    }
}

/// The fixed schedules' stage costs by key, open-addressed and probed linearly from the key's
/// mixed word (`StageCostKey.mixedWord`), so that a look-up hashes nothing more (a `Dictionary`
/// look-up ran the standard hasher and copied a cost table: about 730 instructions a point on
/// the sequential template). Kept at most half full. The lock of `ReconfigurableCache` guards it.
struct FixedCostIndex {
    private var slots: [FixedStageCosts?] = Array(repeating: nil, count: 64)
    private var count = 0

    /// The slot to start probing at: the word multiplied once more by 2^64 / golden ratio
    /// (Fibonacci hashing, Knuth, TAOCP vol. 3, section 6.4) and its top bits taken, so that the
    /// flags mixed into the word's low bits move the slot too.
    @inline(__always)
    private static func start(_ word: UInt64, capacity: Int) -> Int {
        Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - capacity.trailingZeroBitCount))
    }

    @inline(__always)
    func find(_ key: StageCostKey, _ which: ReconfigurableCache.FixedSchedule, word: UInt64) -> FixedStageCosts? {
        slots.withUnsafeBufferPointer { s in
            let mask = s.count - 1
            var i = Self.start(word, capacity: s.count)
            while let e = s[i] {
                if e.word == word && e.which == which && e.key == key { return e }
                i = (i + 1) & mask
            }
            return nil
        }
    }

    /// Adds `entry` unless one of its key is already there.
    mutating func insert(_ entry: FixedStageCosts) {
        if find(entry.key, entry.which, word: entry.word) != nil { return }
        if 2 * (count + 1) > slots.count {
            let old = slots
            slots = Array(repeating: nil, count: 2 * old.count)
            count = 0
            for case let e? in old { place(e) }
        }
        place(entry)
    }

    private mutating func place(_ e: FixedStageCosts) {
        var i = Self.start(e.word, capacity: slots.count)
        while slots[i] != nil { i = (i + 1) & (slots.count - 1) }
        slots[i] = e
        count += 1
    }

    mutating func removeAll() {
        slots = Array(repeating: nil, count: 64)
        count = 0
    }
}

extension FPGAModel {
    /// A fixed schedule's stages for the point from the model's cache, built from the cost
    /// table (`ReconfigurableCache.lookup(fixed:)`) the first time its key is seen.
    @inline(__always)
    func fixedStageCosts(_ p: DesignPoint, _ which: ReconfigurableCache.FixedSchedule, _ schedule: Schedule) -> FixedStageCosts {
        let key = StageCostKey(p, balancer: stageBalancer != nil)
        if let hit = reconfigurableCache.fixedCosts(key, which) { return hit }
        let (ids, table) = reconfigurableCache.lookup(self, p, fixed: which, schedule)
        var stages: [FixedStageCosts.Stage] = []
        stages.reserveCapacity(ids.count)
        for k in ids.indices {
            let cost = table.splits[Int(table.entries[Int(ids[k])].quickest)].cost  // `fastest` with unlimited memory
            stages.append(.init(cost: cost, liveBytesBefore: schedule.stages[k].liveBytesBefore))
        }
        var status = SolverStatus.given
        if which == .given && !table.unproven.isEmpty {
            let split = table.splitStatus(over: ids, names: stageNames)
            if split != .optimal { status = split }
        }
        let entry = FixedStageCosts(key: key, which: which, stages: stages, status: status)
        reconfigurableCache.keep(entry)
        return entry
    }
}
