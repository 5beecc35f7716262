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

    /// The totals of every point of the key whose units run each stage, for the two spill
    /// cases that do not depend on the scratchpad's size: every intermediate spilled (`spill:
    /// always`, or `overflow` with no scratchpad: the same bytes), and none (`overflow` with a
    /// scratchpad of at least `maxLiveBytes`). Worked out once by the same sums as a point's.
    struct Shortcuts {
        var maxMACTasks: Int
        var maxLiveBytes: Double
        var allSpilled: StageTotals
        var noneSpilled: StageTotals
    }

    let key: StageCostKey
    let which: ReconfigurableCache.FixedSchedule
    let word: UInt64
    let stages: [Stage]
    /// A given schedule's status (`given`, or how its unproven stage splits ended); unused for
    /// the sequential template's schedule.
    let status: SolverStatus
    /// Nil when made without the key's cycle environment.
    let shortcuts: Shortcuts?

    /// `env`: the cycle environment of the key's points (what a spill's cycles read: the word
    /// width and weight loading are in the key).
    init(key: StageCostKey, which: ReconfigurableCache.FixedSchedule, stages: [Stage], status: SolverStatus, env: CycleEnvironment? = nil) {
        self.key = key
        self.which = which
        word = key.mixedWord
        self.stages = stages
        self.status = status
        shortcuts = env.map { env in
            var maxLive = 0.0
            for k in stages.indices.dropFirst() { maxLive = max(maxLive, stages[k].liveBytesBefore) }
            return Shortcuts(maxMACTasks: stages.map(\.cost.macTasks).max() ?? 0, maxLiveBytes: maxLive,
                             allSpilled: Self.totals(stages, units: Int.max, scratchBytes: 0, policy: .always, env: env),
                             noneSpilled: Self.totals(stages, units: Int.max, scratchBytes: maxLive, policy: .overflow, env: env))
        }
    }

    /// The stages' totals with their spills in between; a stage of more MAC tasks than `units`
    /// left out and flagged.
    @inline(__always)
    static func totals(_ stages: [Stage], units: Int, scratchBytes: Double, policy: SpillPolicy, env: CycleEnvironment) -> StageTotals {
        var totals = StageTotals()
        stages.withUnsafeBufferPointer { stages in
            for k in stages.indices {
                let c = stages[k].cost
                if c.macTasks > units {
                    totals.tooManyTasks = true
                    continue
                }
                let spill = k == 0 ? (cycles: 0.0, bytes: 0.0)
                    : StageModel.spill(liveBytes: stages[k].liveBytesBefore, scratchpadBytes: scratchBytes, policy: policy, env: env)
                totals.add(c, spill: spill)
            }
            totals.stages = stages.count
        }
        return totals
    }

    /// The totals of a point of the key: a shortcut where one applies, else the sums.
    @inline(__always)
    func totals(units: Int, scratchBytes: Double, policy: SpillPolicy, env: CycleEnvironment) -> StageTotals {
        if let s = shortcuts, units >= s.maxMACTasks {
            if policy == .always || scratchBytes == 0 { return s.allSpilled }
            if scratchBytes >= s.maxLiveBytes { return s.noneSpilled }
        }
        return Self.totals(stages, units: units, scratchBytes: scratchBytes, policy: policy, env: env)
    }
}

/// Fixed schedules' stage costs by key (`FixedStageCosts` for the sequential and given
/// schedules), held in line in one array and found
/// through an open-addressed table probed linearly from the key's mixed word
/// (`StageCostKey.mixedWord`), so that a look-up hashes nothing more (a `Dictionary` look-up ran
/// the standard hasher and copied a cost table: about 730 instructions a point on the sequential
/// template) and a new entry allocates nothing of its own. The table is kept at most half full.
/// The lock of `ReconfigurableCache` guards it. It holds at most `maxEntries` entries (one per
/// knob set of the stages; a few hundred bytes each with the slots); past that it is emptied and
/// refilled on demand (results do not change, only the time).
struct FixedCostIndex<Value> {
    struct Entry {
        var word: UInt64
        var key: StageCostKey
        var which: ReconfigurableCache.FixedSchedule
        var value: Value
    }

    static var maxEntries: Int { 100_000 }
    /// Per slot: the key's mixed word and 1 + its entry's index in `entries` (0: empty). The
    /// entries sit apart, in the order kept, so that a probe compares words without copying
    /// an entry and a new table clears 16 bytes a slot. Empty until the first entry is kept (a
    /// model's caches are made anew for every cold pass of a bench, most of them never used).
    private var slots: [(word: UInt64, entry: Int)] = []
    private var entries: [Entry] = []

    /// The slot to start probing at: the word multiplied once more by 2^64 / golden ratio
    /// (Fibonacci hashing, Knuth, TAOCP vol. 3, section 6.4) and its top bits taken, so that the
    /// flags mixed into the word's low bits move the slot too.
    @inline(__always)
    private static func start(_ word: UInt64, capacity: Int) -> Int {
        Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - capacity.trailingZeroBitCount))
    }

    @inline(__always)
    func find(_ key: StageCostKey, _ which: ReconfigurableCache.FixedSchedule, word: UInt64) -> Value? {
        if slots.isEmpty { return nil }
        return slots.withUnsafeBufferPointer { s in
            entries.withUnsafeBufferPointer { kept in
                let mask = s.count - 1
                var i = Self.start(word, capacity: s.count)
                while s[i].entry != 0 {
                    if s[i].word == word {
                        // Through the entry's address: its fields are read, the entry not copied.
                        let e = kept.baseAddress! + (s[i].entry - 1)
                        if e.pointee.which == which && e.pointee.key == key { return e.pointee.value }
                    }
                    i = (i + 1) & mask
                }
                return nil
            }
        }
    }

    /// Adds `value` for the key unless one is already there.
    mutating func insert(_ value: Value, _ key: StageCostKey, _ which: ReconfigurableCache.FixedSchedule, word: UInt64) {
        if find(key, which, word: word) != nil { return }
        if entries.count >= Self.maxEntries { removeAll() }
        entries.append(Entry(word: word, key: key, which: which, value: value))
        if 2 * entries.count > slots.count {
            slots = Array(repeating: (0, 0), count: max(64, 2 * slots.count))
            for e in entries.indices { place(entries[e].word, e) }
        } else {
            place(word, entries.count - 1)
        }
    }

    private mutating func place(_ word: UInt64, _ entry: Int) {
        var i = Self.start(word, capacity: slots.count)
        while slots[i].entry != 0 { i = (i + 1) & (slots.count - 1) }
        slots[i] = (word, entry + 1)
    }

    mutating func removeAll() {
        slots = []
        entries = []
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
        let entry = FixedStageCosts(key: key, which: which, stages: stages, status: status, env: platformEnvironment.with(p))
        reconfigurableCache.keep(entry)
        return entry
    }
}
