import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaRows
import IntarsiaSearch

/// Streams design rows to a temporary file beside the destination while a search runs, then
/// adds the Pareto column and renames into place: the destination is never half written, and
/// memory holds only the current batch.
///
/// Checkpoints: rows reach `PATH.partial` at least every two seconds, and `PATH.partial.meta`
/// records what run they belong to. A run started with `resume` on the same spec and options
/// keeps those rows and appends only rows with a larger id (the search replays its deterministic
/// sequence to rebuild its Pareto front, which is cheap next to writing).
public final class CSVDesignWriter {
    public let path: String
    let platform: FPGAPlatform
    let constraints: Constraints
    let paretoOnly: Bool
    let partialPath: String
    let workers: Int
    let metaPath: String
    var handle: FileHandle?
    /// Rows with ids up to this one are already in the partial file (resumed run).
    public private(set) var resumedAfterID: Int?
    public private(set) var resumedRows = 0

    public struct CannotResume: Error, CustomStringConvertible {
        public var description: String
    }

    /// `meta` identifies the run (spec contents and search options); `resume` keeps the rows of an
    /// interrupted run with the same `meta`; `workers` threads format the rows (the file is the
    /// same for any number).
    public init(path: String, platform: FPGAPlatform, constraints: Constraints, paretoOnly: Bool, meta: String = "", resume: Bool = false,
                workers: Int = Parallel.allCores) throws {
        self.path = path
        self.workers = max(1, workers)
        self.platform = platform
        self.constraints = constraints
        self.paretoOnly = paretoOnly
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        partialPath = path + ".partial"
        metaPath = path + ".partial.meta"
        let fm = FileManager.default
        if resume && fm.fileExists(atPath: partialPath) {
            let previous = fm.contents(atPath: metaPath).map { String(decoding: $0, as: UTF8.self) }
            guard previous == meta else {
                throw CannotResume(description: "\(partialPath) belongs to a run with another spec or other options\(previous == nil ? " (its \(metaPath) is missing)" : ""); delete it, or run without --resume to start afresh")
            }
            // Keep the complete lines; a line cut by the interruption (no newline yet) is dropped.
            let data = fm.contents(atPath: partialPath) ?? Data()
            let keep = data.lastIndex(of: 0x0A).map { data[data.startIndex...$0] } ?? Data()
            // Every kept line must be a row this run would have written: the right number of
            // fields and ids strictly increasing. Anything else is damage, and appending to it
            // would mix rows, so the checkpoint is refused rather than restarted into.
            let expected = DesignColumns.streamed.list.count
            let idColumn = DesignColumns.streamed.header.firstIndex(of: "id")!
            var lastID: Int?
            var n = 0
            for line in String(decoding: keep, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                n += 1
                let fields = CSV.parse(String(line) + "\n").first ?? []
                func damaged(_ why: String) -> CannotResume {
                    CannotResume(description: "\(partialPath) line \(n): \(why); the checkpoint is damaged and cannot be resumed: delete \(partialPath) and \(metaPath) to start afresh (or run without --resume)")
                }
                guard fields.count == expected else { throw damaged("\(fields.count) fields, expected \(expected)") }
                guard let id = Int(fields[idColumn]), id >= 0 else { throw damaged("id '\(fields[idColumn].prefix(40))' is not a non-negative integer") }
                if let l = lastID, id <= l { throw damaged("id \(id) does not follow id \(l)") }
                lastID = id
            }
            try Data(keep).write(to: URL(fileURLWithPath: partialPath))
            resumedRows = n
            resumedAfterID = lastID
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partialPath))
            try handle?.seekToEnd()
        } else {
            discardedCheckpoint = fm.fileExists(atPath: partialPath)
            guard fm.createFile(atPath: partialPath, contents: nil) else {
                throw OutputError("\(partialPath): cannot be created (\(String(cString: strerror(errno)))); accepted: an output path in a writable directory")
            }
            try Data(meta.utf8).write(to: URL(fileURLWithPath: metaPath))
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partialPath))
        }
    }

    /// A checkpoint of an earlier interrupted run was there and is replaced (a run without `resume`).
    public private(set) var discardedCheckpoint = false

    /// Queues a batch's rows for the partial file: formatted and written on `workers` threads
    /// behind the search (`RowQueue`), in order.
    public func append(_ batch: [EvaluatedDesign]) throws {
        guard !paretoOnly, let handle else { return }
        let rows = resumedAfterID.map { after in batch.filter { $0.id > after } } ?? batch
        if queue == nil { queue = RowQueue(handle: handle, workers: workers, platform: platform, constraints: constraints) }
        try queue!.submit(rows)
    }

    var queue: RowQueue?

    /// Where a search's time goes: `secondsWriting` is the wall time the search was held up by
    /// the CSV (waiting for the row queue, and `finish`); `writerBusySeconds` the wall time the
    /// row queue spent formatting and writing beside the search.
    public private(set) var secondsWriting = 0.0
    public private(set) var writerBusySeconds = 0.0

    /// Writes the final file to a temporary file beside the destination and returns its path:
    /// the header, then every row (or the front only) with its Pareto mark. The caller renames it
    /// into place (with the files derived from it, see `StagedFiles`), then calls
    /// `removeCheckpoint`; until then an interrupted run can still be resumed.
    public func finish(pareto: [EvaluatedDesign]) throws -> String {
        let started = Date()
        if let q = queue {
            writerBusySeconds = try q.drain()
            secondsWriting += q.heldUp
        }
        defer { secondsWriting += Date().timeIntervalSince(started) }
        try handle?.close()
        handle = nil
        let front = Set(pareto.map(\.id))
        let finalTemp = try uniqueTemporary(besides: path)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: finalTemp))
        var buffer = CSV.line(DesignColumns.header) + "\n"
        rowsWritten = 0
        if paretoOnly {
            for d in pareto { buffer += CSV.line(DesignColumns.fields(d, platform, constraints) + ["true"]) + "\n"; rowsWritten += 1 }
        } else {
            try out.write(contentsOf: Data(buffer.utf8))
            buffer = ""
            rowsWritten = try ParetoMarks.copy(partialPath, to: out, front: front, workers: workers)
        }
        try out.write(contentsOf: Data(buffer.utf8))
        try out.close()
        return finalTemp
    }

    /// Rows in the file `finish` wrote.
    public private(set) var rowsWritten = 0

    /// Removes the checkpoint once the final file is in place.
    public func removeCheckpoint() {
        // Ignored: the final CSV is already in place; a checkpoint left behind is discarded (and
        // said so on stderr) by the next run, or resumed into the same rows with --resume.
        try? FileManager.default.removeItem(atPath: partialPath)
        try? FileManager.default.removeItem(atPath: metaPath)
    }

    deinit {
        // Ignored: reached after `finish` (which drained and reported) or after a failure that is
        // already being reported; no queued write outlives the handle.
        _ = try? queue?.drain()
        try? handle?.close()
    }
}

/// The final file's second pass: the streamed rows copied in blocks of bytes, each line given its
/// Pareto mark (`,true` or `,false`, by the id in its first field); each block's lines are
/// marked on `workers` threads (a stretch of whole lines each) and written in order.
enum ParetoMarks {
    static func copy(_ path: String, to out: FileHandle, front: Set<Int>, workers: Int) throws -> Int {
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? input.close() }  // ignored: closing a file only read from loses nothing
        var carry: [UInt8] = [], rows = 0
        while true {
            let chunk = try input.read(upToCount: 4 << 20) ?? Data()
            carry.append(contentsOf: chunk)
            // Whole lines only, but at the end, where a last line may lack its newline.
            let end = chunk.isEmpty ? carry.count : (carry.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
            if end > 0 {
                // Stretch boundaries just after a newline, about equal in bytes.
                var cuts = [0]
                for k in 1..<max(1, workers) {
                    var c = max(cuts.last!, end * k / workers)
                    while c < end && c > 0 && carry[c - 1] != 0x0A { c += 1 }
                    cuts.append(c)
                }
                cuts.append(end)
                let block = carry, bounds = cuts
                let marked = Parallel.map(bounds.count - 1, workers: workers) { k in mark(block[bounds[k]..<bounds[k + 1]], front: front) }
                for m in marked {
                    try out.write(contentsOf: m.bytes)
                    rows += m.rows
                }
                carry.removeFirst(end)
            }
            if chunk.isEmpty { break }
        }
        return rows
    }

    /// Lines (each ended by a newline but perhaps the last) with their marks.
    static func mark(_ text: ArraySlice<UInt8>, front: Set<Int>) -> (bytes: [UInt8], rows: Int) {
        var output: [UInt8] = [], rows = 0
        output.reserveCapacity(text.count + text.count / 16)
        let yes = Array(",true\n".utf8), no = Array(",false\n".utf8)
        text.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            var start = 0
            while start < b.count {
                let nl = memchr(base + start, 0x0A, b.count - start).map { base.distance(to: UnsafePointer($0.assumingMemoryBound(to: UInt8.self))) } ?? b.count
                let line = UnsafeBufferPointer(rebasing: b[start..<nl])
                var id = 0, digits = 0
                for c in line { guard c >= 48 && c <= 57 else { break }; id = id &* 10 &+ Int(c - 48); digits += 1 }
                output.append(contentsOf: line)
                output.append(contentsOf: digits > 0 && front.contains(id) ? yes : no)
                rows += 1
                start = nl + 1
            }
        }
        return (output, rows)
    }
}
