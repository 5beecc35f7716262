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
    let metaPath: String
    var handle: FileHandle?
    var pending = ""
    var lastFlush = Date()
    /// Rows with ids up to this one are already in the partial file (resumed run).
    public private(set) var resumedAfterID: Int?
    public private(set) var resumedRows = 0

    public struct CannotResume: Error, CustomStringConvertible {
        public var description: String
    }

    /// `meta` identifies the run (spec contents and search options); `resume` keeps the rows of an
    /// interrupted run with the same `meta`.
    public init(path: String, platform: FPGAPlatform, constraints: Constraints, paretoOnly: Bool, meta: String = "", resume: Bool = false) throws {
        self.path = path
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

    public func append(_ batch: [EvaluatedDesign]) throws {
        guard !paretoOnly else { return }
        for d in batch where resumedAfterID.map({ d.id > $0 }) ?? true {
            pending += CSV.line(DesignColumns.fields(d, platform, constraints)) + "\n"
        }
        if pending.utf8.count > 1 << 20 || Date().timeIntervalSince(lastFlush) > 2 { try flush() }
    }

    func flush() throws {
        lastFlush = Date()
        guard !pending.isEmpty else { return }
        try handle?.write(contentsOf: Data(pending.utf8))
        pending = ""
    }

    /// Writes the final file to a temporary file beside the destination and returns its path:
    /// the header, then every row (or the front only) with its Pareto mark. The caller renames it
    /// into place (with the files derived from it, see `StagedFiles`), then calls
    /// `removeCheckpoint`; until then an interrupted run can still be resumed.
    public func finish(pareto: [EvaluatedDesign]) throws -> String {
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
            // Second pass over the streamed rows, line by line; the id is the first field.
            let reader = try LineReader(path: partialPath)
            while let line = reader.next() {
                let id = Int(line.prefix { $0 != "," }) ?? -1
                buffer += line + (front.contains(id) ? ",true\n" : ",false\n")
                rowsWritten += 1
                if buffer.utf8.count > 1 << 20 { try out.write(contentsOf: Data(buffer.utf8)); buffer = "" }
            }
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

/// Reads a text file line by line in chunks.
final class LineReader {
    let handle: FileHandle
    var buffer = Data()
    var eof = false
    init(path: String) throws { handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)) }
    func next() -> String? {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...nl)
                return line
            }
            if eof {
                guard !buffer.isEmpty else { return nil }
                let line = String(decoding: buffer, as: UTF8.self)
                buffer.removeAll()
                return line
            }
            let chunk = handle.readData(ofLength: 1 << 16)
            if chunk.isEmpty { eof = true } else { buffer.append(chunk) }
        }
    }
    deinit { try? handle.close() }
}
