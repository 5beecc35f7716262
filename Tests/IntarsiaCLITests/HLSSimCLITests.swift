import Foundation
import Testing

/// `intarsia hls-sim` and an emitted project's `make synth` as a user runs them.
@Suite struct HLSSimCLITests {
    static func project() throws -> String {
        let dir = CLI.temp("hlssim")
        let r = try CLI.run(["hls", "designs/hls/mlp-small.yaml", "--set", "template=dataflow", "--golden", "never", "-o", dir])
        #expect(r.status == 0, "\(r.stderr)")
        return dir
    }

    @Test func tableInEveryFormat() throws {
        let dir = try Self.project()
        let text = try CLI.run(["hls-sim", dir])
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.dropFirst().first == "scope name sim_cycles model_cycles ratio stall_cycles depth width_bits elements full_stall_cycles empty_stall_cycles")
        // The model's latency of this design is 2,236 cycles (hls-check's table states the same).
        #expect(lines.contains { $0.hasPrefix("design latency_cycles ") && $0.contains(" 2236 ") })
        #expect(lines.contains { $0.hasPrefix("fifo relu1_to_fc2 - - - - 64 16 64 ") })
        let csv = try CLI.run(["hls-sim", dir, "--format", "csv"])
        #expect(csv.stdout.hasPrefix("scope,name,sim_cycles,model_cycles,ratio,stall_cycles,depth,width_bits,elements,full_stall_cycles,empty_stall_cycles\ndesign,latency_cycles,"))
        let json = try CLI.run(["hls-sim", dir, "--format", "json"])
        #expect(json.status == 0 && json.stdout.hasPrefix("["))
    }

    @Test func malformedOrMissingFilesExitTwoNamingTheFile() throws {
        let dir = try Self.project()
        let top = dir + "/src/top.cpp"
        let text = try String(contentsOfFile: top, encoding: .utf8)
        // Cut off after task_relu1's opening brace: the function is never closed.
        let cut = try #require(text.range(of: "static void task_relu1(hls::stream<act_t>& in0, hls::stream<act_t>& out) {\n"))
        try String(text[..<cut.upperBound]).write(toFile: top, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["hls-sim", dir])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("error: \(top):") && bad.stderr.contains("unclosed '{'"), "\(bad.stderr)")
        try FileManager.default.removeItem(atPath: top)
        let missing = try CLI.run(["hls-sim", dir])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("error: \(top): no such file"), "\(missing.stderr)")
        let notProject = try CLI.run(["hls-sim", CLI.temp("none")])
        #expect(notProject.status == 2)
        #expect(notProject.stderr.contains("design.json: no such file"), "\(notProject.stderr)")
        let format = try CLI.run(["hls-sim", dir, "--format", "xml"])
        #expect(format.status == 2)
        #expect(format.stderr == "error: --format 'xml': accepted: text, json, csv\n")
    }

    /// `make synth` with a stand-in `vitis_hls` on PATH that writes the hand-written reports of
    /// Tests/IntarsiaHLSCheckTests/Fixtures where Vitis would: the hls-check table follows (its
    /// figures are HLSCheckCLITests' own, worked out from those reports). Without `vitis_hls`
    /// on PATH it stops with a message and a non-zero exit.
    @Test func makeSynthRunsTheToolThenHLSCheck() throws {
        let dir = try Self.project()
        let bin = CLI.temp("stub-bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let fixture = CLI.root.appendingPathComponent("Tests/IntarsiaHLSCheckTests/Fixtures/mlp-small-dataflow").path
        let stub = """
        #!/bin/sh
        [ "$1" = "-f" ] && [ "$2" = "run_hls.tcl" ] || { echo "stub: unexpected arguments $*" >&2; exit 9; }
        mkdir -p proj_intarsia_top/solution1 && cp -R '\(fixture)/syn' '\(fixture)/sim' proj_intarsia_top/solution1/
        """
        try stub.write(toFile: bin + "/vitis_hls", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/vitis_hls")
        let exe = try #require(CLI.binary)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let r = try Self.make(["synth", "INTARSIA=\(exe.path)"], in: dir, path: bin + ":" + path)
        #expect(r.status == 0, "\(r.output)")
        let lines = r.output.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.contains("top intarsia_top intarsia_top latency_cycles 2236 2610 1.167"), "\(r.output)")
        let none = try Self.make(["synth", "VITIS_HLS=intarsia-no-such-tool"], in: dir, path: path)
        #expect(none.status != 0)
        #expect(none.output.contains("make synth: intarsia-no-such-tool is not on PATH"), "\(none.output)")
    }

    static func make(_ args: [String], in dir: String, path: String) throws -> (status: Int32, output: String) {
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = path
        let r = try InstalledHLSTests().run(URL(fileURLWithPath: "/usr/bin/env"), ["make", "-s"] + args, in: URL(fileURLWithPath: dir), environment: env)
        return (r.0, r.1)
    }
}
