import Foundation
import IntarsiaCore
import IntarsiaFPGA
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
    var pending: [UInt8] = []
    var lastFlush = Date()
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
            let expected = DesignColumns.header.count - 1
            var lastID: Int?
            var n = 0
            for line in String(decoding: keep, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                n += 1
                let fields = CSV.parse(String(line) + "\n").first ?? []
                func damaged(_ why: String) -> CannotResume {
                    CannotResume(description: "\(partialPath) line \(n): \(why); the checkpoint is damaged and cannot be resumed: delete \(partialPath) and \(metaPath) to start afresh (or run without --resume)")
                }
                guard fields.count == expected else { throw damaged("\(fields.count) fields, expected \(expected)") }
                guard let id = Int(fields[0]), id >= 0 else { throw damaged("id '\(fields[0].prefix(40))' is not a non-negative integer") }
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

    /// Formats a batch's rows on `workers` threads (contiguous runs of rows, joined in order) and
    /// queues them for the partial file.
    public func append(_ batch: [EvaluatedDesign]) throws {
        guard !paretoOnly else { return }
        let started = Date()
        defer { secondsWriting += Date().timeIntervalSince(started) }
        let rows = resumedAfterID.map { after in batch.filter { $0.id > after } } ?? batch
        let (platform, constraints) = (self.platform, self.constraints)
        // A few runs per worker, so that a slow run does not hold the others up.
        let runs = min(rows.count, 4 * workers), n = rows.count
        let texts = Parallel.map(runs, workers: workers) { k in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(256 * ((k + 1) * n / runs - k * n / runs))
            for d in rows[(k * n / runs)..<((k + 1) * n / runs)] { CSV.appendLine(DesignColumns.fields(d, platform, constraints), to: &bytes) }
            return bytes
        }
        for t in texts { pending.append(contentsOf: t) }
        if pending.count > 1 << 20 || Date().timeIntervalSince(lastFlush) > 2 { try flush() }
    }

    func flush() throws {
        lastFlush = Date()
        guard !pending.isEmpty else { return }
        try handle?.write(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Wall time spent in `append` and `finish` (formatting and writing rows), for reports of
    /// where a search's time goes.
    public private(set) var secondsWriting = 0.0

    /// Writes the final file to a temporary file beside the destination and returns its path:
    /// the header, then every row (or the front only) with its Pareto mark. The caller renames it
    /// into place (with the files derived from it, see `StagedFiles`), then calls
    /// `removeCheckpoint`; until then an interrupted run can still be resumed.
    public func finish(pareto: [EvaluatedDesign]) throws -> String {
        let started = Date()
        defer { secondsWriting += Date().timeIntervalSince(started) }
        try flush()
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
            rowsWritten = try ParetoMarks.copy(partialPath, to: out, front: front)
        }
        try out.write(contentsOf: Data(buffer.utf8))
        try out.close()
        return finalTemp
    }

    /// Rows in the file `finish` wrote.
    public private(set) var rowsWritten = 0

    /// Removes the checkpoint once the final file is in place.
    public func removeCheckpoint() {
        try? FileManager.default.removeItem(atPath: partialPath)
        try? FileManager.default.removeItem(atPath: metaPath)
    }

    deinit { try? handle?.close() }
}

/// The final file's second pass: the streamed rows copied in chunks of bytes, each line given its
/// Pareto mark (`,true` or `,false`, by the id in its first field).
enum ParetoMarks {
    static func copy(_ path: String, to out: FileHandle, front: Set<Int>) throws -> Int {
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? input.close() }
        var carry: [UInt8] = [], output: [UInt8] = [], rows = 0
        output.reserveCapacity(1 << 21)
        let yes = Array(",true\n".utf8), no = Array(",false\n".utf8)
        func mark(_ line: UnsafeBufferPointer<UInt8>) {
            var id = 0, digits = 0
            for b in line { guard b >= 48 && b <= 57 else { break }; id = id &* 10 &+ Int(b - 48); digits += 1 }
            output.append(contentsOf: line)
            output.append(contentsOf: digits > 0 && front.contains(id) ? yes : no)
            rows += 1
        }
        while true {
            let chunk = try input.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            carry.append(contentsOf: chunk)
            let consumed = carry.withUnsafeBufferPointer { b -> Int in
                guard let base = b.baseAddress else { return 0 }
                var start = 0
                while start < b.count, let p = memchr(base + start, 0x0A, b.count - start) {
                    let nl = base.distance(to: UnsafePointer(p.assumingMemoryBound(to: UInt8.self)))
                    mark(UnsafeBufferPointer(rebasing: b[start..<nl]))
                    start = nl + 1
                }
                return start
            }
            carry.removeFirst(consumed)
            if output.count > 1 << 20 { try out.write(contentsOf: output); output.removeAll(keepingCapacity: true) }
        }
        // A last line without its newline (not written by `append`, which ends every row).
        if !carry.isEmpty { carry.withUnsafeBufferPointer { mark($0) } }
        try out.write(contentsOf: output)
        return rows
    }
}
