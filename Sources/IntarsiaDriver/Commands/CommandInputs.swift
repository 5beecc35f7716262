import Foundation
import IntarsiaReports

/// Option values shared by several commands, read from the command line's text into checked
/// values; every error names the option and says what is accepted. The executable passes the
/// text it parsed and never sees the types behind it.
public enum CommandInputs {
    /// `--param` of every command that takes built-in workload parameters: `key=value`, or
    /// `key=v1,v2,...` where the command sweeps them (one grammar, integer values).
    public static func parameters(_ texts: [String]) throws -> [(String, [Int])] {
        try texts.map { p in
            let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
            let values = parts.count == 2 ? parts[1].split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) } : []
            guard parts.count == 2, !parts[0].isEmpty, !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
                throw UserError("--param '\(p)': expected key=value or key=v1,v2,... with integer values, e.g. size_divisor=16")
            }
            return (parts[0], values.map { $0! })
        }
    }

    /// `--param` where a command takes one value per key (no sweep).
    public static func singleParameters(_ texts: [String], command: String) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for (text, (key, values)) in zip(texts, try parameters(texts)) {
            guard values.count == 1 else { throw UserError("--param '\(text)': '\(command)' takes one value per key, e.g. size_divisor=16") }
            out[key] = values[0]
        }
        return out
    }

    /// `--jobs`: worker threads, at least 1.
    public static func checkWorkers(_ jobs: Int?) throws {
        if let j = jobs, j < 1 { throw UserError("--jobs \(j): must be at least 1") }
    }

    /// `--budget`: evaluations, at least 1.
    public static func checkBudget(_ budget: Int?) throws {
        if let b = budget, b < 1 { throw UserError("--budget \(b): must be at least 1") }
    }

    /// `--emit-lp DIR`: refuses a file, creates the directory when missing.
    public static func lpDirectory(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
            throw UserError("--emit-lp '\(path)': is a file; accepted: a directory (created when missing)")
        }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw UserError("--emit-lp '\(path)': cannot be created (\(OutputPath.reason(error))); accepted: a writable directory")
        }
    }
}
