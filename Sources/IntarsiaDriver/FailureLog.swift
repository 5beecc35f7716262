import Foundation

/// Failures a run survived (a solver that gave no answer and a heuristic that stood in), counted
/// by their text from any thread, so that each distinct one is reported once instead of lost.
final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var order: [String] = []

    func add(_ reason: String) {
        lock.lock()
        defer { lock.unlock() }
        if counts[reason] == nil { order.append(reason) }
        counts[reason, default: 0] += 1
    }

    /// Each distinct failure with how often it happened, in the order first seen.
    var distinct: [(reason: String, count: Int)] {
        lock.lock()
        defer { lock.unlock() }
        return order.map { ($0, counts[$0]!) }
    }
}
