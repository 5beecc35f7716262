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

    @Test func aClaimingOrderRunsEveryIndexOnceAndGivesResultsInIndexOrder() {
        final class Claimed: @unchecked Sendable {
            let lock = NSLock()
            var order: [Int] = []
            func note(_ i: Int) { lock.lock(); order.append(i); lock.unlock() }
        }
        // Index i costs about i squared steps; handed out costliest first.
        @Sendable func work(_ i: Int) -> Int { (0..<(i * i)).reduce(i) { ($0 &* 31) &+ $1 } }
        let expected = (0..<300).map(work)
        let costliestFirst = Array((0..<300).reversed())
        for (workers, order) in [(1, costliestFirst), (2, costliestFirst), (3, Array(0..<300)), (8, (0..<300).map { ($0 * 7) % 300 })] {
            let claimed = Claimed()
            let got = Parallel.map(300, workers: workers, claiming: order) { i -> Int in
                claimed.note(i)
                return work(i)
            }
            #expect(got == expected, "workers \(workers)")
            #expect(claimed.order.sorted() == Array(0..<300), "workers \(workers): every index once")
            // One worker takes them exactly in the claiming order.
            if workers == 1 { #expect(claimed.order == order) }
        }
        #expect(Parallel.map(0, workers: 2, claiming: []) { $0 }.isEmpty)
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
