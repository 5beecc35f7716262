import Foundation

/// An accuracy oracle that runs a user's command: `{arch}` and `{task}` in the command are
/// replaced by the cell string and the task's name (shell-quoted), the command runs under
/// `/bin/sh -c` with a timeout, and the last line it prints must be the accuracy in percent. A
/// command that fails, hangs past the timeout or prints something else is a failed evaluation
/// with its reason. Every answer, failures included, is cached on disk (one JSON object a line),
/// so a rerun never runs the same evaluation twice.
public final class CommandOracle: @unchecked Sendable {
    public enum Answer: Codable, Equatable, Sendable {
        case accuracy(Double)
        case failed(String)
    }

    public let command: String
    public let timeoutSeconds: Double
    public let cachePath: String
    private var cache: [String: Answer] = [:]
    private let lock = NSLock()
    public private(set) var runs = 0

    struct Line: Codable { var key: String; var answer: Answer }

    public init(command: String, timeoutSeconds: Double, cachePath: String) {
        self.command = command
        self.timeoutSeconds = timeoutSeconds
        self.cachePath = cachePath
        if let data = FileManager.default.contents(atPath: cachePath) {
            for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                if let l = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)) { cache[l.key] = l.answer }
            }
        }
    }

    /// `s` as one shell word (single-quoted).
    public static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    public func accuracy(architecture: String, task: String) -> Answer {
        let key = task + "\t" + architecture
        lock.lock()
        defer { lock.unlock() }
        if let a = cache[key] { return a }
        let answer = run(architecture: architecture, task: task)
        cache[key] = answer
        runs += 1
        if let data = try? JSONEncoder().encode(Line(key: key, answer: answer)) {
            let dir = URL(fileURLWithPath: cachePath).deletingLastPathComponent()
            try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: cachePath) { _ = FileManager.default.createFile(atPath: cachePath, contents: nil) }
            if let h = FileHandle(forWritingAtPath: cachePath) {
                h.seekToEndOfFile()
                h.write(data + Data("\n".utf8))
                try? h.close()
            }
        }
        return answer
    }

    func run(architecture: String, task: String) -> Answer {
        let line = command.replacingOccurrences(of: "{arch}", with: Self.quote(architecture)).replacingOccurrences(of: "{task}", with: Self.quote(task))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", line]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return .failed("cannot start: \(error)") }
        let done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        DispatchQueue.global().async {
            box.data = out.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while p.isRunning && Date() < deadline { usleep(5_000) }
        if p.isRunning {
            kill(-p.processIdentifier, SIGKILL)
            p.terminate()
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            _ = done.wait(timeout: .now() + 2)
            return .failed("timed out after \(timeoutSeconds) s")
        }
        p.waitUntilExit()
        _ = done.wait(timeout: .now() + 2)
        guard p.terminationStatus == 0 else { return .failed("exit code \(p.terminationStatus)") }
        let text = String(decoding: box.data, as: UTF8.self)
        let last = text.split(whereSeparator: \.isNewline).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard let v = Double(last), v.isFinite, v >= 0, v <= 100 else {
            return .failed("output is not an accuracy in percent: '\(last.prefix(60))'")
        }
        return .accuracy(v)
    }
}
