import Dispatch
import Foundation

/// Index-ordered parallel maps on a fixed number of worker threads (`DispatchQueue.concurrentPerform`).
/// Worker `k` of `w` takes indices `k, k + w, k + 2w, …` (interleaved, so uneven costs spread
/// evenly); every index is computed exactly once and the results come back in index order, so
/// a caller that reduces them in that order gets the same answer for any number of workers.
public enum Parallel {
    /// The default number of workers: every core the process may use.
    public static var allCores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// One slot per index, each written by exactly one worker and read after every worker joined.
    @usableFromInline final class Slots<T>: @unchecked Sendable {
        @usableFromInline let base: UnsafeMutablePointer<T?>
        @usableFromInline let count: Int
        @inlinable init(_ n: Int) {
            count = n
            base = .allocate(capacity: max(n, 1))
            base.initialize(repeating: nil, count: max(n, 1))
        }
        @inlinable deinit {
            base.deinitialize(count: max(count, 1))
            base.deallocate()
        }
    }

    /// `body(i)` for every `i` in `0..<count`, on `workers` threads (one when `count` is below
    /// `sequentialBelow`: too little work to share), in index order.
    /// Inlinable, so that each caller's module specializes it for its result type: generic, the
    /// calling thread's gathering of the results in order (a value-witness call per step of an
    /// unspecialized `map`) cost about 1,500 instructions per result, a serial step of every
    /// parallel evaluation (callgrind, bench search, BENCHMARKS.md session 13).
    @inlinable public static func map<T: Sendable>(_ count: Int, workers: Int, sequentialBelow: Int = 2, _ body: @Sendable (Int) -> T) -> [T] {
        let w = min(max(1, workers), count)
        if w <= 1 || count < sequentialBelow {
            var out: [T] = []
            out.reserveCapacity(count)
            for i in 0..<count { out.append(body(i)) }
            return out
        }
        let slots = Slots<T>(count)
        DispatchQueue.concurrentPerform(iterations: w) { k in
            var i = k
            while i < count {
                slots.base[i] = body(i)
                i += w
            }
        }
        var out: [T] = []
        out.reserveCapacity(count)
        for i in 0..<count { out.append(slots.base[i]!) }
        return out
    }

    /// `body(i)` for every `i` in `0..<count` on `workers` threads that each take the next index
    /// of `order` (a permutation of `0..<count`, for example the costliest items first) when
    /// they are free, so that items of very unequal cost keep every worker busy to the end; the
    /// results come back in index order, so the answer is the same for any number of workers.
    public static func map<T: Sendable>(_ count: Int, workers: Int, claiming order: [Int], _ body: @Sendable (Int) -> T) -> [T] {
        precondition(order.count == count, "claiming order must list every index once")
        let w = min(max(1, workers), count)
        let slots = Slots<T>(count), next = Claims()
        if w <= 1 {
            for i in order { slots.base[i] = body(i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: w) { _ in
                while let k = next.claim(below: count) { slots.base[order[k]] = body(order[k]) }
            }
        }
        return (0..<count).map { slots.base[$0]! }
    }

    /// The next unclaimed position of a claiming order, handed out once each under a lock.
    private final class Claims: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        func claim(below count: Int) -> Int? {
            lock.withLock {
                guard next < count else { return nil }
                next += 1
                return next - 1
            }
        }
    }

    /// The throwing form: every index is computed; when some threw, the error of the lowest such
    /// index is rethrown (the one a sequential loop would have met first).
    public static func map<T: Sendable>(_ count: Int, workers: Int, sequentialBelow: Int = 2, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        let results: [Result<T, any Error>] = map(count, workers: workers, sequentialBelow: sequentialBelow) { i in
            Result { try body(i) }
        }
        return try results.map { try $0.get() }
    }
}
