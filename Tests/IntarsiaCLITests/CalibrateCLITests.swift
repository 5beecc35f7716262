import Foundation
import Testing

/// `intarsia calibrate` end to end on a small measurements file.
@Suite(.serialized) struct CalibrateCLITests {
    static func folder() throws -> String {
        let d = CLI.temp("calibrate")
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    static let mlp = CLI.root.path + "/designs/calibration/mlp-u280.yaml"
    static let gating = CLI.root.path + "/designs/calibration/gating-u280.yaml"
    static let sequentialMLP = "template=sequential lanes=32 scratchpad_kib=0 weight_load=blocking flatten_loops=true word_bits=256 spill=always pipelined=true"

    @Test func fitsWritesTheOverrideAndASpecWithItGivesTheCalibratedFigures() throws {
        let d = try Self.folder()
        let csv = """
            design,spec,knobs,measured_cycles
            MLP seq,\(Self.mlp),\(Self.sequentialMLP),1374935
            MLP dataflow,\(Self.mlp),template=dataflow lanes=48 allocation=uniform weight_load=double_buffered flatten_loops=true word_bits=256 pipelined=true stream_elements=0 matvec=dot,181996
            Gating dataflow,\(Self.gating),template=dataflow lanes=96 allocation=uniform weight_load=buffered flatten_loops=false word_bits=512 pipelined=true stream_elements=0 matvec=dot,50524005
            Gating seq,\(Self.gating),template=sequential lanes=96 scratchpad_kib=0 weight_load=blocking flatten_loops=false word_bits=256 spill=always pipelined=true,117504648

            """
        try csv.write(toFile: d + "/m.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["calibrate", d + "/m.csv", "--platform", "u280", "-o", d + "/o.yaml", "--fit", "blocking_read_cycles,mac_pipeline_base_depth_cycles", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let yaml = try String(contentsOfFile: d + "/o.yaml", encoding: .utf8)
        #expect(yaml.hasPrefix("# Platform override written by intarsia calibrate on "))
        #expect(yaml.contains("# data: \(d)/m.csv (4 designs)"))
        #expect(yaml.contains("\nbase: u280\nconstants:\n  blocking_read_cycles: "))
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let row = try #require(lines.first { $0.hasPrefix("MLP seq,") }).split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: "calibrated_cycles"))
        let calibrated = try #require(Double(row[column]))
        // The blocking reads dominate this design: the calibrated model lands closer to its measurement.
        #expect(abs(calibrated / 1374935 - 1) < abs(1461467.0 / 1374935 - 1))
        try "workload: {builtin: mlp}\nplatform: {base: u280, override: o.yaml}\ntemplates:\n  sequential: {lanes: 32}\nsearch: {scheduler: dp}\n"
            .write(toFile: d + "/s.yaml", atomically: true, encoding: .utf8)
        let e = try CLI.run(["evaluate", d + "/s.yaml", "--format", "json"] + Self.sequentialMLP.split(separator: " ").flatMap { ["--set", String($0)] })
        #expect(e.status == 0, "\(e.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any])
        #expect((json["latencyCycles"] as? Double)?.rounded() == calibrated)
    }

    @Test func helpShowsAnExampleAndTheOverrideSyntax() throws {
        let r = try CLI.run(["calibrate", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Examples:") && r.stdout.contains("intarsia calibrate designs/calibration/intar-u280-measurements.csv"))
        #expect(r.stdout.contains("{base: PART, override:"))
    }

    @Test func aConstantTheMeasurementsCannotDetermineIsRefusedByName() throws {
        let d = try Self.folder()
        try """
            design,spec,knobs,measured_cycles
            Gating dataflow,\(Self.gating),template=dataflow lanes=96 allocation=uniform weight_load=buffered flatten_loops=false word_bits=512 pipelined=true stream_elements=0 matvec=dot,50524005
            MLP dataflow,\(Self.mlp),template=dataflow lanes=48 allocation=uniform weight_load=double_buffered flatten_loops=true word_bits=256 pipelined=true stream_elements=0 matvec=dot,181996

            """.write(toFile: d + "/m.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["calibrate", d + "/m.csv", "--platform", "u280", "-o", d + "/o.yaml", "--fit", "mac_pipeline_base_depth_cycles,blocking_read_cycles"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("error: the measurements cannot determine blocking_read_cycles: no measured figure of the 2 designs moves with it"))
        #expect(!FileManager.default.fileExists(atPath: d + "/o.yaml"))
        let bad = try CLI.run(["calibrate", d + "/m.csv", "--platform", "u280", "-o", d + "/o.yaml", "--fit", "blocking_reads"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--fit: unknown constant 'blocking_reads'; accepted: blocking_read_cycles, "))
    }
}
