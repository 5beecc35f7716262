import Foundation
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaSearch

/// Streams design rows to a temporary file beside the destination while a search runs, then
/// adds the Pareto column and renames into place: the destination is never half written, and
/// memory holds only the current batch.
public final class CSVDesignWriter {
    public let path: String
    let platform: FPGAPlatform
    let constraints: Constraints
    let paretoOnly: Bool
    let partialPath: String
    var handle: FileHandle?
    var pending = ""

    public init(path: String, platform: FPGAPlatform, constraints: Constraints, paretoOnly: Bool) throws {
        self.path = path
        self.platform = platform
        self.constraints = constraints
        self.paretoOnly = paretoOnly
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        partialPath = path + ".partial"
        guard FileManager.default.createFile(atPath: partialPath, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: partialPath])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partialPath))
    }

    public func append(_ batch: [EvaluatedDesign]) throws {
        guard !paretoOnly else { return }
        for d in batch { pending += CSV.line(DesignColumns.fields(d, platform, constraints)) + "\n" }
        if pending.utf8.count > 1 << 20 { try flush() }
    }

    func flush() throws {
        guard !pending.isEmpty else { return }
        try handle?.write(contentsOf: Data(pending.utf8))
        pending = ""
    }

    /// Writes the final file: the header, then every row (or the front only) with its Pareto mark.
    public func finish(pareto: [EvaluatedDesign]) throws {
        try flush()
        try handle?.close()
        handle = nil
        let front = Set(pareto.map(\.id))
        let finalTemp = path + ".tmp"
        FileManager.default.createFile(atPath: finalTemp, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: finalTemp))
        var buffer = CSV.line(DesignColumns.header) + "\n"
        if paretoOnly {
            for d in pareto { buffer += CSV.line(DesignColumns.fields(d, platform, constraints) + ["true"]) + "\n" }
        } else {
            // Second pass over the streamed rows, line by line; the id is the first field.
            let reader = try LineReader(path: partialPath)
            while let line = reader.next() {
                let id = Int(line.prefix { $0 != "," }) ?? -1
                buffer += line + (front.contains(id) ? ",true\n" : ",false\n")
                if buffer.utf8.count > 1 << 20 { try out.write(contentsOf: Data(buffer.utf8)); buffer = "" }
            }
        }
        try out.write(contentsOf: Data(buffer.utf8))
        try out.close()
        try? FileManager.default.removeItem(atPath: partialPath)
        // rename(2) replaces the destination atomically on the same file system.
        guard rename(finalTemp, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
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
