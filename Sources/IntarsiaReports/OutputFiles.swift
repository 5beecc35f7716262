import Foundation
#if canImport(Glibc)
import Glibc
import IntarsiaCore
#endif

/// One protocol for every command that writes files:
///
/// - `OutputPath.check` before any work: an empty path, an existing directory, or a directory
///   that cannot be created or written is an error at once (exit 2), not after an hour of search.
/// - `OutputLock`: an exclusive `flock` on `PATH.lock` for as long as a run writes `PATH` and the
///   files beside it; a second run on the same path fails at once, naming the other run's pid.
/// - `writeAtomically` and `StagedFiles`: every file is written to a temporary file with a unique
///   name in the target directory, then renamed over the destination; a group of files (CSV, run
///   record, plots, report) is replaced together: the files derived from the previous run are
///   removed before the first new file lands, so a kill mid-way never leaves a new CSV beside an
///   old report.
public struct OutputError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public enum OutputPath {
    /// Refuses a path no file can be written to, before any work starts. `option` names where the
    /// path came from in the message (e.g. "-o" or "spec.yaml: output.path").
    public static func check(_ path: String, option: String = "-o") throws {
        guard !path.isEmpty else { throw OutputError("\(option) '': an empty path; accepted: a file path, e.g. out/run.csv") }
        guard !path.hasSuffix("/") else { throw OutputError("\(option) '\(path)': names a directory; accepted: a file path inside it, e.g. \(path)run.csv") }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw OutputError("\(option) '\(path)': is an existing directory; accepted: a file path, e.g. \(path)/run.csv")
        }
        var st = stat()
        if lstat(path, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG, (st.st_mode & S_IFMT) != S_IFLNK {
            // Renaming over a device, a pipe or a socket would replace it (as root: /dev/null).
            throw OutputError("\(option) '\(path)': is not a regular file (a device, pipe or socket); accepted: a regular file path, e.g. out/run.csv")
        }
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw OutputError("\(option) '\(path)': its directory \(dir) cannot be created (\(reason(error))); accepted: a path in a writable directory")
        }
        guard access(dir, W_OK | X_OK) == 0 else {
            throw OutputError("\(option) '\(path)': its directory \(dir) is not writable (\(String(cString: strerror(errno)))); accepted: a path in a writable directory")
        }
        if FileManager.default.fileExists(atPath: path), access(path, W_OK) != 0, access(dir, W_OK) != 0 {
            throw OutputError("\(option) '\(path)': cannot be replaced (\(String(cString: strerror(errno)))); accepted: a writable file path")
        }
    }

    /// A short reason for a Foundation error, without its domain and code.
    public static func reason(_ error: any Error) -> String { InputFile.reason(error) }
}

/// An exclusive lock on an output path, held while a run writes it (`PATH.lock`, which records
/// the holder's pid). The lock is the kernel's (`flock`): it disappears with the process, so a
/// killed run never leaves a stale lock behind.
public final class OutputLock: @unchecked Sendable {
    public let path: String
    public let lockPath: String
    private var fd: Int32

    /// Takes the lock at once or throws, naming the run that holds it.
    public init(path: String) throws {
        self.path = path
        lockPath = path + ".lock"
        while true {
            let f = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard f >= 0 else {
                throw OutputError("\(lockPath): cannot create the output's lock file (\(String(cString: strerror(errno)))); accepted: an output path in a writable directory")
            }
            if flock(f, LOCK_EX | LOCK_NB) != 0 {
                let e = errno
                var buffer = [UInt8](repeating: 0, count: 64)
                let n = pread(f, &buffer, 63, 0)
                close(f)
                let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
                if e == EWOULDBLOCK {
                    throw OutputError("\(path): another intarsia run (pid \(holder)) is writing this output (lock \(lockPath)); wait for it to finish, or choose another -o")
                }
                throw OutputError("\(lockPath): cannot lock (\(String(cString: strerror(e))))")
            }
            // The file may have been removed by the previous holder between our open and flock:
            // then the lock is on a file nobody else will see; take it again.
            var mine = stat(), named = stat()
            if fstat(f, &mine) == 0, stat(lockPath, &named) == 0, mine.st_ino == named.st_ino, mine.st_dev == named.st_dev {
                fd = f
                let pid = "\(getpid())\n"
                _ = ftruncate(f, 0)
                _ = pid.withCString { pwrite(f, $0, strlen($0), 0) }
                Self.sweepTemporaries(in: URL(fileURLWithPath: path).deletingLastPathComponent().path)
                break
            }
            close(f)
        }
    }

    /// Removes temporary files (`.NAME.tmp-PID-XXXXXX`) that runs killed mid-write left in `dir`:
    /// only those whose pid is no longer a process, so no running writer loses its file.
    static func sweepTemporaries(in dir: String) {
        // Ignored: a housekeeping sweep; a folder that cannot be listed has no temporary this run
        // could remove, and writing into it is checked (and reported) by the writer itself.
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        for name in names where name.hasPrefix(".") {
            guard let r = name.range(of: ".tmp-", options: .backwards) else { continue }
            let parts = name[r.upperBound...].split(separator: "-")
            guard parts.count == 2, parts[1].count == 6, let pid = Int32(parts[0]), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(dir + "/" + name) }
        }
    }

    /// Releases the lock and removes the lock file (still holding it, so no other run can have
    /// taken a lock on this file in between).
    public func release() {
        guard fd >= 0 else { return }
        unlink(lockPath)
        close(fd)
        fd = -1
    }

    deinit { release() }
}

/// A temporary file with a unique name in `path`'s directory, hidden (`.NAME.tmp-PID-XXXXXX`).
public func uniqueTemporary(besides path: String) throws -> String {
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent().path
    var template = Array("\(dir)/.\(url.lastPathComponent).tmp-\(getpid())-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
        throw OutputError("\(path): cannot create a temporary file in \(dir) (\(String(cString: strerror(errno)))); accepted: a path in a writable directory")
    }
    // mkstemp creates the file 0600; give it the mode a plain new file gets (0666 less the umask).
    let mask = umask(0)
    umask(mask)
    fchmod(fd, 0o666 & ~mask)
    close(fd)
    return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

/// Renames `temp` over `path` (atomic on one file system); errors name `path`.
public func replace(_ path: String, with temp: String) throws {
    guard rename(temp, path) == 0 else {
        let e = errno
        unlink(temp)
        throw OutputError("\(path): cannot be replaced (\(String(cString: strerror(e)))); accepted: a writable file path that is not a directory")
    }
}

/// Writes text to a file atomically (a uniquely named temporary file in the same directory, then
/// rename): readers see the old file or the new one, and two runs never share a temporary file.
public func writeAtomically(_ text: String, to path: String) throws {
    try OutputPath.check(path, option: "output")
    try replace(path, with: try writeTemporary(text, besides: path))
}

/// `text` in a new uniquely named temporary file beside `path` (removed again if writing fails).
func writeTemporary(_ text: String, besides path: String) throws -> String { try writeTemporary(Data(text.utf8), besides: path) }

func writeTemporary(_ data: Data, besides path: String) throws -> String {
    let temp = try uniqueTemporary(besides: path)
    do {
        try data.write(to: URL(fileURLWithPath: temp))
    } catch {
        unlink(temp)
        throw OutputError("\(path): cannot be written (\(OutputPath.reason(error))); accepted: a writable file path")
    }
    return temp
}

/// A group of files replaced together: each is first written to a temporary file; `commit`
/// removes the files listed as derived from the previous run, then renames the new ones into
/// place in order (the primary file first).
public struct StagedFiles {
    public private(set) var staged: [(temp: String, path: String)] = []
    public init() {}

    /// Writes `text` to a temporary file beside `path`.
    public mutating func stage(_ text: String, to path: String) throws {
        staged.append((try writeTemporary(text, besides: path), path))
    }

    /// Adds a file of these bytes (as `stage(_:to:)`).
    public mutating func stage(bytes: [UInt8], to path: String) throws {
        staged.append((try writeTemporary(Data(bytes), besides: path), path))
    }

    /// Adds an already written temporary file.
    public mutating func stage(temp: String, to path: String) { staged.append((temp, path)) }

    /// Removes `stale` (files of the previous run that this group replaces or makes obsolete),
    /// then renames every staged file into place.
    public func commit(removingFirst stale: [String]) throws {
        for s in stale where FileManager.default.fileExists(atPath: s) {
            guard unlink(s) == 0 else {
                throw OutputError("\(s): cannot remove the previous run's file (\(String(cString: strerror(errno)))); accepted: a writable directory")
            }
        }
        for (temp, path) in staged { try replace(path, with: temp) }
    }

    /// Removes the temporary files (the group is abandoned).
    public func discard() { for (temp, _) in staged { unlink(temp) } }
}
