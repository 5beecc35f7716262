import Dispatch
import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaRows
import IntarsiaSearch

/// The partial file's rows, formatted and written behind the search (`CSVDesignWriter.append`):
/// batches go to a serial queue that formats each on `workers` threads (contiguous runs of rows,
/// joined in order) and writes it, batch after batch in the order they came, while the search
/// goes on with the next. At most two batches wait, so memory stays bounded when the search is
/// quicker than the writer. Rows reach the file at least every two seconds, or each MiB.
final class RowQueue: @unchecked Sendable {
    // `pending`, `lastFlush` and `busy` are touched only on `queue`; `failure` under `lock`.
    private let queue = DispatchQueue(label: "intarsia.csv-rows")
    private let slots = DispatchSemaphore(value: 2)
    private let lock = NSLock()
    private let handle: FileHandle
    private let workers: Int
    private let platform: FPGAPlatform
    private let constraints: Constraints
    private var pending: [UInt8] = []
    private var lastFlush = Date()
    private var busy = 0.0
    private var failure: (any Error)?
    /// Seconds the search waited for a free slot (on the submitting thread only).
    private(set) var heldUp = 0.0

    init(handle: FileHandle, workers: Int, platform: FPGAPlatform, constraints: Constraints) {
        self.handle = handle
        self.workers = workers
        self.platform = platform
        self.constraints = constraints
    }

    /// Queues a batch; throws the error of an earlier batch's write.
    func submit(_ rows: [EvaluatedDesign]) throws {
        if let f = lock.withLock({ failure }) { throw f }
        let waited = Date()
        slots.wait()
        heldUp += Date().timeIntervalSince(waited)
        queue.async { [self] in
            defer { slots.signal() }
            let started = Date()
            defer { busy += Date().timeIntervalSince(started) }
            guard lock.withLock({ failure == nil }) else { return }
            do { try write(rows) } catch { lock.withLock { failure = error } }
        }
    }

    private func write(_ rows: [EvaluatedDesign]) throws {
        let (platform, constraints) = (self.platform, self.constraints)
        // A few runs per worker, so that a slow run does not hold the others up.
        let runs = min(rows.count, 4 * workers), n = rows.count
        let texts = Parallel.map(runs, workers: workers) { k in
            ByteSink.collect(capacity: 256 * ((k + 1) * n / runs - k * n / runs)) { bytes in
                var knobBits = KnobBitsCache()
                for d in rows[(k * n / runs)..<((k + 1) * n / runs)] {
                    DesignField.appendCSVLine(DesignRow(d, platform, constraints, knobBits: knobBits.bits(d.point.template)), to: &bytes)
                }
            }
        }
        for t in texts { pending.append(contentsOf: t) }
        if pending.count > 1 << 20 || Date().timeIntervalSince(lastFlush) > 2 { try flush() }
    }

    private func flush() throws {
        lastFlush = Date()
        guard !pending.isEmpty else { return }
        try handle.write(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Waits for every queued batch, writes what is pending, and returns the seconds the queue
    /// spent formatting and writing; throws the first error of a write.
    func drain() throws -> Double {
        let seconds: Double = try queue.sync {
            if lock.withLock({ failure == nil }) { try flush() }
            return busy
        }
        if let f = lock.withLock({ failure }) { throw f }
        return seconds
    }
}
