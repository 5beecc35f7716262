import Foundation
import Testing

/// `intarsia hls` as an installed tool: the binary copied out of the build tree, run from an
/// unrelated working directory, writes a complete project (module library and harness embedded
/// in the binary) that passes C simulation.
struct InstalledHLSTests {
    func run(_ exe: URL, _ args: [String], in dir: URL, environment: [String: String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = dir
        p.environment = environment
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func installedBinaryEmitsAProjectThatPassesCSim() throws {
        let bin = try #require(CLI.binary, "the intarsia executable was not built beside the tests")
        let apTypes = CLI.root.appendingPathComponent(".deps/ap_types")
        try #require(FileManager.default.fileExists(atPath: apTypes.appendingPathComponent("ap_int.h").path), "run scripts/fetch-ap-types.sh")
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("intarsia-installed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let prefix = base.appendingPathComponent("opt/bin"), work = base.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: prefix, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let exe = prefix.appendingPathComponent("intarsia")
        try FileManager.default.copyItem(at: bin, to: exe)
        try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("designs/hls/mlp-small.yaml"), to: work.appendingPathComponent("mlp.yaml"))
        let home = base.appendingPathComponent("home").path
        let env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home]

        // Without a checkout nearby, the Makefile points at the user's cache (filled by `make ap_types`).
        let (s1, o1) = try run(exe, ["hls", "mlp.yaml", "--set", "template=sequential", "-o", "proj"], in: work, environment: env)
        #expect(s1 == 0, "\(o1)")
        let makefile = try String(contentsOf: work.appendingPathComponent("proj/Makefile"), encoding: .utf8)
        #expect(makefile.contains("AP_TYPES ?= \(home)/.cache/intarsia/ap_types"))
        for f in ["src/modules.h", "src/intarsia_math.h", "sim/hls_stream.h", "sim/lint.sh", "sim/lint_poison.h", "sim/fetch-ap-types.sh", "tb/tb_top.cpp", "run_hls.tcl"] {
            #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("proj/\(f)").path), "\(f) missing")
        }
        // With the headers named by the environment, C simulation passes from the project.
        var env2 = env
        env2["INTARSIA_AP_TYPES"] = apTypes.path
        let (s2, o2) = try run(exe, ["hls", "mlp.yaml", "--set", "template=dataflow", "-o", "proj2"], in: work, environment: env2)
        #expect(s2 == 0, "\(o2)")
        let (s3, o3) = try run(URL(fileURLWithPath: "/usr/bin/env"), ["make", "-s", "csim"], in: work.appendingPathComponent("proj2"), environment: env2)
        #expect(s3 == 0 && o3.contains("16 passed, 0 failed"), "\(o3)")
        // Bad input: a clear error and exit code 2, nothing half-written.
        let (s4, o4) = try run(exe, ["hls", "mlp.yaml", "--set", "lanes=0", "-o", "proj3"], in: work, environment: env2)
        #expect(s4 == 2 && o4.contains("lanes") && o4.contains("accepted"), "\(o4)")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("proj3").path))
    }
}
