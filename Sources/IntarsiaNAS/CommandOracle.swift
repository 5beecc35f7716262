import Foundation
import IntarsiaCore
#if canImport(Glibc)
import Glibc
#endif

/// An accuracy oracle that runs a user's command under `/bin/sh -c` with a timeout; the last
/// line it prints must be the accuracy in percent, a plain decimal number (`93.5`; not `0x10`,
/// `inf` or `1e2`).
///
/// - Placeholders `{arch}`, `{task}` and `{spec_dir}` are replaced in one pass over the command
///   text the user wrote, each by its value as one single-quoted shell word: a value that itself
///   contains `{task}` or quotes is never substituted again, so it cannot leave its quotes.
/// - The command runs in its own process group; at a timeout, when `intarsia` is stopped
///   (SIGINT, SIGTERM, SIGHUP), and when the command's shell exits leaving background processes,
///   the whole group is killed.
/// - Its output is read with a cap (`maxOutputBytes`, only the tail is kept); more is a failure.
/// - Its stderr goes to a log file (`logPath`) that failure messages name.
/// - Answers are cached on disk (one JSON object a line) under a key made of the command text and
///   the oracle's inputs, so a changed command is asked again. Failures are cached only with
///   `cacheFailures` (`--cache-failures`); by default a failed evaluation is retried next run.
/// - Nothing about the cache is silent: lines of the cache file that are not entries are skipped
///   and reported (file, line numbers, count) through `warn`; a cache (or stderr log) that
///   cannot be written is reported through `warn` once, and the run goes on uncached.
public final class CommandOracle: @unchecked Sendable {
    public enum Answer: Codable, Equatable, Sendable {
        case accuracy(Double)
        case failed(String)
        /// Named hardware figures of a measurement command (`measure`), in the internal units
        /// of `MeasuredFigureColumn` (ms, mJ, W, kB) by figure name.
        case measured([String: Double])
    }

    /// The command as written, with its placeholders.
    public let command: String
    public let specDirectory: String
    public let timeoutSeconds: Double
    public let cachePath: String
    /// Where the stderr of failing calls goes.
    public let logPath: String
    /// Failures are cached (and cached failures believed) only when set.
    public var cacheFailures = false
    /// The most output a command may print (stdout); its last 64 KiB are kept.
    public var maxOutputBytes = 16 << 20
    private var cache: [String: Answer] = [:]
    private let lock = NSLock()
    public private(set) var runs = 0
    /// Where warnings go (a corrupt cache, a cache that cannot be written); stderr by default.
    let warn: @Sendable (String) -> Void
    /// Line numbers (from 1) of the cache file that were not cache entries and were skipped.
    public private(set) var corruptCacheLines: [Int] = []
    /// The first failure to write the cache, reported once through `warn`.
    public private(set) var cacheWriteFailure: CacheError?

    struct Line: Codable { var key: String; var answer: Answer }

    /// A cache file that cannot be written (or appended to).
    public struct CacheError: Error, CustomStringConvertible, Equatable {
        public var path: String
        public var reason: String
        public var description: String { "'\(path)': cannot be written (\(reason)); accepted: a writable file path (oracle.cache)" }
    }

    public static let standardError: @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }

    public init(command: String, timeoutSeconds: Double, cachePath: String, specDirectory: String = ".",
                warn: @escaping @Sendable (String) -> Void = CommandOracle.standardError) {
        self.command = command
        self.specDirectory = specDirectory
        self.timeoutSeconds = timeoutSeconds
        self.cachePath = cachePath
        self.warn = warn
        logPath = (cachePath.hasSuffix(".jsonl") ? String(cachePath.dropLast(6)) : cachePath) + "-stderr.log"
        loadCache()
    }

    /// Reads the cache file; lines that are not entries are skipped and reported.
    private func loadCache() {
        guard let data = FileManager.default.contents(atPath: cachePath) else { return }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for (n, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            do {
                let l = try JSONDecoder().decode(Line.self, from: Data(line.utf8))
                cache[l.key] = l.answer
            } catch {
                corruptCacheLines.append(n + 1)
            }
        }
        guard !corruptCacheLines.isEmpty else { return }
        let shown = corruptCacheLines.prefix(10).map(String.init).joined(separator: ", ") + (corruptCacheLines.count > 10 ? ", ..." : "")
        warn("warning: \(cachePath): \(corruptCacheLines.count) line\(corruptCacheLines.count == 1 ? " is" : "s are") not an oracle cache entry "
             + "(line\(corruptCacheLines.count == 1 ? "" : "s") \(shown)) and skipped; accepted: one JSON object {\"key\", \"answer\"} a line, "
             + "as intarsia writes them. Their evaluations are asked again.\n")
    }

    /// `s` as one shell word (single-quoted).
    public static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The command line for one call: one pass over the written command, each placeholder
    /// replaced by its quoted value; the values are never scanned for placeholders.
    public static func substitute(_ command: String, values: [String: String]) -> String {
        var out = ""
        var rest = command[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[open...]
            if let close = after.firstIndex(of: "}"), let v = values[String(after[after.index(after: open)..<close])] {
                out += quote(v)
                rest = after[after.index(after: close)...]
            } else {
                out += "{"
                rest = after.dropFirst()
            }
        }
        return out + rest
    }

    /// The command line for an architecture and a task.
    public func commandLine(architecture: String, task: String) -> String {
        Self.substitute(command, values: ["arch": architecture, "task": task, "spec_dir": specDirectory])
    }

    /// The cache key: the command as written (and the folder `{spec_dir}` stands for), the task,
    /// the architecture.
    func key(architecture: String, task: String) -> String {
        ["v2", command, specDirectory, task, architecture].joined(separator: "\t")
    }

    public func accuracy(architecture: String, task: String) -> Answer {
        ask(architecture: architecture, task: task, key: key(architecture: architecture, task: task), parse: Self.accuracyLine)
    }

    /// The answer for an architecture: the cache's, or the command's (cached unless it failed and
    /// failures are not cached); `parse` reads the command's last line.
    func ask(architecture: String, task: String, key: String, parse: @escaping (String) -> Answer) -> Answer {
        lock.lock()
        defer { lock.unlock() }
        if let a = cache[key] {
            if case .failed = a, !cacheFailures {} else { return a }
        }
        let answer = run(architecture: architecture, task: task, parse: parse)
        runs += 1
        if case .failed = answer, !cacheFailures { return answer }
        cache[key] = answer
        store(Line(key: key, answer: answer))
        return answer
    }

    /// Appends one entry to the cache file; the first failure is reported once.
    private func store(_ line: Line) {
        do {
            // Sorted keys: the same answer writes the same line in every run (unsorted, the
            // order followed the process's hash seed).
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let data = try encoder.encode(line)
            try append(data + Data("\n".utf8), to: cachePath)
        } catch {
            guard cacheWriteFailure == nil else { return }
            let e = error as? CacheError ?? CacheError(path: cachePath, reason: "\(error)")
            cacheWriteFailure = e
            warn("warning: oracle cache \(e); this run's answers are not cached and will be asked again next run\n")
        }
    }

    /// Appends with one write on an O_APPEND descriptor (whole lines, even with other writers).
    func append(_ data: Data, to path: String) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw CacheError(path: path, reason: "its folder cannot be created: \(error.localizedDescription)")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CacheError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written != data.count { throw CacheError(path: path, reason: written < 0 ? String(cString: strerror(errno)) : "short write") }
    }

    /// Only the last line matters: keep this much of the output's tail.
    static let keptTail = 64 << 10

    func run(architecture: String, task: String, parse: (String) -> Answer) -> Answer {
        let line = commandLine(architecture: architecture, task: task)
        let errPath: String
        do { errPath = try Self.temporaryFile() } catch { return .failed("cannot create a file for its stderr: \(error)") }
        defer { unlink(errPath) }
        let child: Child
        switch spawn(line, stderrPath: errPath) {
        case .success(let c): child = c
        case .failure(let why): return .failed(why.description)
        }
        Interruption.shared.track(processGroup: child.pid)
        defer { Interruption.shared.untrack(processGroup: child.pid) }
        let (status, timedOut, output) = collect(child)
        // Killed because intarsia is stopping: not a failure of the command, and not to be recorded.
        Interruption.shared.holdIfStopping()
        return answer(status: status, timedOut: timedOut, output: output, parse: parse,
                      failed: { self.logFailure($0, task: task, architecture: architecture, line: line, errPath: errPath) })
    }

    /// A started command: its process (and process group) id and the read end of its stdout.
    struct Child {
        var pid: pid_t
        var readEnd: Int32
    }

    /// Why a command could not be started.
    struct SpawnFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `/bin/sh -c line` in its own process group, stdin from /dev/null, stdout to a pipe,
    /// stderr to `stderrPath`.
    func spawn(_ line: String, stderrPath: String) -> Swift.Result<Child, SpawnFailure> {
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { return .failure(SpawnFailure(description: "cannot create a pipe: \(String(cString: strerror(errno)))")) }
        let (readEnd, writeEnd) = (pipeFDs[0], pipeFDs[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_TRUNC, 0o600)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // Its own process group (so it can be killed whole), and default signal actions (intarsia
        // ignores SIGINT/SIGTERM while its handler runs; ignored signals would be inherited).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attr, &noMask)
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let args: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", line].map { (w: String) in strdup(w) } + [nil]
        defer { for a in args { free(a) } }
        let rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, args, environ)
        close(writeEnd)
        guard rc == 0 else {
            close(readEnd)
            return .failure(SpawnFailure(description: "cannot start /bin/sh: \(String(cString: strerror(rc)))"))
        }
        return .success(Child(pid: pid, readEnd: readEnd))
    }

    /// A command's stdout as read: the tail kept (only the last line matters) and the total
    /// counted against the cap.
    struct Output {
        var tail = Data()
        var total = 0
    }

    /// Reads the command's stdout and waits for its shell, both on the calling thread (poll on the
    /// pipe, a non-blocking waitpid between reads), so no answer depends on another thread being
    /// scheduled in time: under a loaded machine a reader thread that had not yet run used to
    /// leave the output empty and the answer failed. Over the cap, the group is killed; at the
    /// timeout, the group gets SIGTERM, then SIGKILL after a second. When the shell has ended, its
    /// whole group is killed (a background job it left) and the pipe is drained to its end, for at
    /// most five seconds (a process that left the group may hold the pipe open).
    func collect(_ child: Child) -> (status: Int32, timedOut: Bool, output: Output) {
        var output = Output()
        var status: Int32 = 0
        var exited = false, timedOut = false, pipeOpen = true
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var drainDeadline = Date.distantFuture
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        defer { close(child.readEnd) }
        while pipeOpen || !exited {
            if pipeOpen {
                var fd = pollfd(fd: child.readEnd, events: Int16(POLLIN), revents: 0)
                if poll(&fd, 1, exited ? 50 : 5) > 0 {
                    let n = read(child.readEnd, &buffer, buffer.count)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 {
                        pipeOpen = false
                    } else {
                        output.total += n
                        if output.total > maxOutputBytes {
                            kill(-child.pid, SIGKILL)
                            pipeOpen = false
                        } else {
                            output.tail.append(contentsOf: buffer[0..<n])
                            if output.tail.count > 2 * Self.keptTail { output.tail = Data(output.tail.suffix(Self.keptTail)) }
                        }
                    }
                }
            } else if !exited {
                usleep(5_000)
            }
            if !exited {
                let w = waitpid(child.pid, &status, WNOHANG)
                if w == child.pid || (w < 0 && errno != EINTR) {
                    exited = true
                } else if Date() >= deadline {
                    kill(-child.pid, SIGTERM)
                    let grace = Date().addingTimeInterval(1)
                    while waitpid(child.pid, &status, WNOHANG) == 0 && Date() < grace { usleep(10_000) }
                    kill(-child.pid, SIGKILL)
                    _ = waitpid(child.pid, &status, 0)
                    exited = true
                    timedOut = true
                }
                if exited {
                    // Whatever the shell left running in its group (a background job) goes with it.
                    kill(-child.pid, SIGKILL)
                    drainDeadline = Date().addingTimeInterval(5)
                }
            } else if Date() >= drainDeadline {
                break
            }
        }
        return (status, timedOut, output)
    }

    /// The answer from how the command ended and what it printed last.
    func answer(status: Int32, timedOut: Bool, output: Output, parse: (String) -> Answer, failed: (String) -> Answer) -> Answer {
        let cap = maxOutputBytes
        if timedOut { return failed("timed out after \(timeoutSeconds) s (its process group was killed)") }
        if output.total > cap { return failed("printed more than \(cap) bytes (its process group was killed); accepted: its answer as the last line") }
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
        if exitCode != 0 {
            return failed((status & 0x7f) != 0 ? "killed by signal \(status & 0x7f)" : "exit code \(exitCode)")
        }
        let text = String(decoding: output.tail, as: UTF8.self)
        let last = text.split(whereSeparator: \.isNewline).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if case .failed(let why) = parse(last) { return failed(why) }
        return parse(last)
    }

    /// An accuracy oracle's last line: a decimal number from 0 to 100.
    static func accuracyLine(_ last: String) -> Answer {
        guard let v = decimal(last), v >= 0, v <= 100 else {
            return .failed("output is not an accuracy in percent: '\(last.prefix(60))'; accepted: a decimal number from 0 to 100 as the last line, e.g. 93.25")
        }
        return .accuracy(v)
    }

    /// A failed call: its stderr appended to the log with a header, and the reason naming the log
    /// (or saying why the log could not be written).
    func logFailure(_ why: String, task: String, architecture: String, line: String, errPath: String) -> Answer {
        let err = FileManager.default.contents(atPath: errPath) ?? Data()
        let header = "== \(ISO8601DateFormatter().string(from: Date())) task \(task) arch \(architecture): \(why)\n$ \(line)\n"
        do {
            try append(Data(header.utf8) + Data(err.suffix(Self.keptTail)) + Data((err.last == 0x0A || err.isEmpty ? "" : "\n").utf8), to: logPath)
        } catch {
            return .failed("\(why) (its stderr could not be kept: \(error))")
        }
        return .failed("\(why) (its stderr is in \(logPath))")
    }

    /// A plain decimal number (digits, at most one point, an optional sign); nil for anything
    /// else (hexadecimal, exponents, inf, nan, words).
    public static func decimal(_ s: String) -> Double? {
        var body = Substring(s)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard !body.isEmpty, parts.count <= 2, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts.contains(where: { !$0.isEmpty }) else { return nil }
        return Double(s)
    }

    static func temporaryFile() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/intarsia-oracle-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        close(fd)
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
