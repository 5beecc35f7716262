import Foundation

/// Runs the C++ side of the HLS tests: g++, make, and the programs they build.
enum Toolchain {
    /// The repository root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The open AMD/Xilinx ap_types headers that `scripts/fetch-ap-types.sh` unpacks (never committed).
    static var apTypes: URL {
        if let env = ProcessInfo.processInfo.environment["INTARSIA_AP_TYPES"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return root.appendingPathComponent(".deps/ap_types")
    }

    /// `templates/hls` in the repository.
    static var hlsTemplates: URL { root.appendingPathComponent("templates/hls") }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var output: String { stdout + stderr }
    }

    /// Runs `executable` with `arguments` in `directory`, waiting at most `timeoutSeconds`.
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil, timeoutSeconds: Double = 300,
                    environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [executable] + arguments
        if let directory { p.currentDirectoryURL = directory }
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, n in n } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("intarsia-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
        }
        p.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: p.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// A fresh temporary directory for one test.
    static func scratch(_ name: String) throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("intarsia-hls-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }
}
