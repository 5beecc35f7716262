import IntarsiaCore

/// The dataflow stage's cost of recently evaluated points (`FPGAModel.dataflowStage`): a
/// two-way table indexed by the key's mixed word (`StageCostKey.mixedWord`) and split, a new key
/// taking its slot and moving what was there to the slot's pair (what the pair held is
/// dropped). Nothing is probed further, rehashed or kept beyond the table, so a point seen once
/// (an exhaustive search) pays two slots' writes; points evaluated again (a bench's passes, a
/// strategy revisiting designs) read one `StageCost`. The table starts at 64 slots and doubles,
/// its contents dropped, each time half as many points were kept as it has slots, up to
/// `maxSlots` (about 200 bytes a slot: some 800 KB); past that keys only replace others. Results
/// do not change, only the time. The lock of `ReconfigurableCache` guards it.
struct DataflowStageMemo {
    typealias Entry = FixedCostIndex<StageCost>.Entry

    static var maxSlots: Int { 4096 }
    /// An empty slot: `which` is the sequential schedule's, never a dataflow split's.
    private static var empty: Entry {
        Entry(word: 0, key: StageCostKey(DesignPoint(template: .dataflow, lanes: 0), balancer: false), which: .sequential, value: StageCost())
    }
    private var slots: [Entry] = []
    private var kept = 0

    /// The slot of a key: the word multiplied by 2^64 / golden ratio (Fibonacci hashing, Knuth,
    /// TAOCP vol. 3, section 6.4), its top bits taken, the lowest flipped for the uniform split.
    @inline(__always)
    private static func slot(_ word: UInt64, _ which: ReconfigurableCache.FixedSchedule, capacity: Int) -> Int {
        let i = Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - capacity.trailingZeroBitCount))
        return which == .uniformDataflow ? i ^ 1 : i
    }

    @inline(__always)
    func find(_ key: StageCostKey, _ which: ReconfigurableCache.FixedSchedule, word: UInt64) -> StageCost? {
        if slots.isEmpty { return nil }
        return slots.withUnsafeBufferPointer { s in
            // Through the entries' addresses: their fields are read, the entries not copied.
            let i = Self.slot(word, which, capacity: s.count)
            var e = s.baseAddress! + i
            if e.pointee.word == word && e.pointee.which == which && e.pointee.key == key { return e.pointee.value }
            e = s.baseAddress! + (i ^ 2)
            if e.pointee.word == word && e.pointee.which == which && e.pointee.key == key { return e.pointee.value }
            return nil
        }
    }

    /// Keeps `cost` for the key in its slot, what the slot held moved to the slot's pair.
    mutating func keep(_ cost: StageCost, _ key: StageCostKey, _ which: ReconfigurableCache.FixedSchedule, word: UInt64) {
        if 2 * kept >= slots.count && slots.count < Self.maxSlots {
            slots = Array(repeating: Self.empty, count: max(64, 2 * slots.count))
            kept = 0
        }
        kept += 1
        let i = Self.slot(word, which, capacity: slots.count)
        if slots[i].which != .sequential && !(slots[i].word == word && slots[i].which == which && slots[i].key == key) {
            slots[i ^ 2] = slots[i]
        }
        slots[i] = Entry(word: word, key: key, which: which, value: cost)
    }
}
