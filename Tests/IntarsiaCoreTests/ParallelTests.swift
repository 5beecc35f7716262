import Foundation
import Testing
@testable import IntarsiaCore

@Suite struct ParallelTests {
    struct Failure: Error, Equatable { var index: Int }

    @Test func resultsComeBackInIndexOrderForAnyNumberOfWorkers() {
        // Uneven work per index, so that workers finish out of order.
        let expected = (0..<1000).map { i in (0..<(i % 37) * 50).reduce(i) { ($0 &* 31) &+ $1 } }
        for workers in [1, 2, 3, 8, 2000] {
            let got = Parallel.map(1000, workers: workers) { i in (0..<(i % 37) * 50).reduce(i) { ($0 &* 31) &+ $1 } }
            #expect(got == expected, "workers \(workers)")
        }
        #expect(Parallel.map(0, workers: 4) { $0 }.isEmpty)
        #expect(Parallel.map(1, workers: 4) { $0 + 7 } == [7])
    }

    @Test func everyIndexRunsOnceAndTheLowestFailureIsThrown() {
        final class Count: @unchecked Sendable {
            let lock = NSLock()
            var seen = [Int: Int]()
            func note(_ i: Int) { lock.lock(); seen[i, default: 0] += 1; lock.unlock() }
        }
        for workers in [1, 2, 5] {
            let count = Count()
            #expect(throws: Failure(index: 17)) {
                _ = try Parallel.map(200, workers: workers) { i -> Int in
                    count.note(i)
                    if i == 17 || i == 18 || i == 150 { throw Failure(index: i) }
                    return i
                }
            }
            #expect(count.seen.count == 200 && count.seen.values.allSatisfy { $0 == 1 }, "workers \(workers)")
        }
    }
}
