import Testing
import IntarsiaCore
@testable import IntarsiaFPGA

/// The open-addressed index of fixed schedules' stage costs (`FixedCostIndex`): every key kept
/// is found again as itself through the growths of the table, a key never kept is not found,
/// and the sequential and given schedules of one key are told apart.
@Suite struct FixedCostIndexTests {
    func entry(_ p: DesignPoint, _ which: ReconfigurableCache.FixedSchedule, stages: Int) -> FixedStageCosts {
        let key = StageCostKey(p, balancer: false)
        var cost = StageCost()
        cost.cycles = Double(stages)
        return FixedStageCosts(key: key, which: which, stages: Array(repeating: .init(cost: cost, liveBytesBefore: 0), count: stages),
                               status: .given)
    }

    @Test func everyKeptKeyIsFoundAsItselfThroughGrowth() {
        var index = FixedCostIndex<FixedStageCosts>()
        var kept: [FixedStageCosts] = []
        // 1,000 lane counts x 2 word widths x 2 schedules: 4,000 entries, the 64-slot table grows 7 times.
        for lanes in 1...1000 {
            for bits in [256, 512] {
                for which in [ReconfigurableCache.FixedSchedule.sequential, .given] {
                    var p = DesignPoint(template: .sequential, lanes: lanes)
                    p.wordBits = bits
                    let e = entry(p, which, stages: kept.count)
                    index.insert(e, e.key, e.which, word: e.word)
                    kept.append(e)
                }
            }
        }
        for e in kept { #expect(index.find(e.key, e.which, word: e.word) === e) }
        // Knobs the key ignores (scratchpad, spill, units, allocation) find the same entry.
        var q = DesignPoint(template: .sequential, lanes: 7, computeUnits: 3)
        q.wordBits = 512
        q.spill = .always
        let key = StageCostKey(q, balancer: false)
        #expect(index.find(key, .given, word: key.mixedWord) === kept.first { $0.key == key && $0.which == .given })
        // A key never kept: lanes beyond the grid, another stream width.
        var r = DesignPoint(template: .sequential, lanes: 1001)
        r.wordBits = 256
        let missing = StageCostKey(r, balancer: false)
        #expect(index.find(missing, .sequential, word: missing.mixedWord) == nil)
        r.lanes = 5
        r.streamElements = 3
        let other = StageCostKey(r, balancer: false)
        #expect(index.find(other, .sequential, word: other.mixedWord) == nil)
    }

    @Test func theFirstEntryOfAKeyStays() {
        var index = FixedCostIndex<FixedStageCosts>()
        let p = DesignPoint(template: .sequential, lanes: 64)
        let first = entry(p, .sequential, stages: 1), second = entry(p, .sequential, stages: 2)
        index.insert(first, first.key, first.which, word: first.word)
        index.insert(second, second.key, second.which, word: second.word)
        #expect(index.find(first.key, .sequential, word: first.word) === first)
        index.removeAll()
        #expect(index.find(first.key, .sequential, word: first.word) == nil)
    }

    /// Past `maxEntries` the index is emptied before the next entry is kept: that entry is
    /// found, the first one is not (the cap holds its memory; a look-up that misses costs again).
    @Test func theIndexIsEmptiedPastItsCap() {
        var index = FixedCostIndex<StageCost>()
        func key(_ lanes: Int) -> StageCostKey { StageCostKey(DesignPoint(template: .dataflow, lanes: lanes), balancer: false) }
        let n = FixedCostIndex<StageCost>.maxEntries
        for lanes in 1...n {
            var c = StageCost()
            c.cycles = Double(lanes)
            let k = key(lanes)
            index.insert(c, k, .given, word: k.mixedWord)
        }
        let first = key(1), last = key(n), next = key(n + 1)
        #expect(index.find(first, .given, word: first.mixedWord)?.cycles == 1)
        #expect(index.find(last, .given, word: last.mixedWord)?.cycles == Double(n))
        #expect(index.find(first, .sequential, word: first.mixedWord) == nil)
        var c = StageCost()
        c.cycles = -1
        index.insert(c, next, .given, word: next.mixedWord)
        #expect(index.find(next, .given, word: next.mixedWord)?.cycles == -1)
        #expect(index.find(first, .given, word: first.mixedWord) == nil)
    }

    /// The sequential template read through the index equals its stage-by-stage evaluation in a
    /// model whose cache was emptied between two orders of the points.
    @Test func sequentialThroughTheIndexEqualsStageByStage() throws {
        let model = FPGAModel(workload: try BuiltinWorkload.gpt2Block.make(), platform: PlatformCatalog.u280)
        var points: [DesignPoint] = []
        for lanes in [16, 96, 512, 4096] {
            for scratch in [0, 64, 8192] {
                for load in WeightLoad.allCases {
                    for spill in SpillPolicy.allCases {
                        points.append(DesignPoint(template: .sequential, lanes: lanes, scratchpadKiB: scratch, weightLoad: load, spill: spill))
                    }
                }
            }
        }
        var none = NoRecorder()
        for (m, order) in [(model, points), (model.withEmptyCaches(), points.reversed())] {
            for p in order {
                #expect(m.evaluate(p) == m.evaluate(p, schedule: m.sequentialSchedule, recorder: &none), "\(p)")
            }
        }
    }
}
