import Foundation
import Testing
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaSpec
@testable import IntarsiaDriver

/// `platform: {base: PART, override: FILE}` in a spec.
@Suite struct PlatformOverrideTests {
    static func folder() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("intarsia-override-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    static func spec(platform: String) -> String {
        """
        workload: {builtin: mlp}
        platform: \(platform)
        templates:
          sequential: {lanes: 32, weight_load: blocking, word_bits: 256, spill: always, scratchpad_kib: 0}
          reconfigurable: {lanes: 32, compute_units: 2}
        """
    }

    static let constants = """
        blocking_read_cycles: 9.25
        burst_latency_cycles: 40
        mac_pipeline_base_depth_cycles: 7.5
        sfu_depth_cycles: 12
        stage_switch_ns: 35
        static_power_w: 30
        """

    @Test func anOverrideGivesTheFiguresOfTheSameConstantsSetInTheSpec() throws {
        let d = try Self.folder()
        try ("# written by hand for the test\nbase: u280\nconstants:\n" + Self.constants.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n")
            .write(toFile: d + "/o.yaml", atomically: true, encoding: .utf8)
        try Self.spec(platform: "{base: u280, override: o.yaml}").write(toFile: d + "/with-override.yaml", atomically: true, encoding: .utf8)
        let inline = "\n" + Self.constants.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        try Self.spec(platform: "\n  name: u280" + inline).write(toFile: d + "/direct.yaml", atomically: true, encoding: .utf8)
        let a = try DesignSpec.load(path: d + "/with-override.yaml"), b = try DesignSpec.load(path: d + "/direct.yaml")
        #expect(a.platform == b.platform)
        #expect(a.platform.blockingReadCycles == 9.25 && a.platform.macPipelineBaseDepthCycles == 7.5 && a.platform.stageSwitchNanoseconds == 35)
        for t in ["sequential", "reconfigurable"] {
            let p = try EvaluateJob.point(spec: a, template: t, sets: [])
            let ea = a.model.evaluate(p), eb = b.model.evaluate(p), base = try DesignSpec.parse(text: Self.spec(platform: "u280"), file: "x.yaml").model.evaluate(p)
            #expect(ea.latencyCycles == eb.latencyCycles && ea.powerW == eb.powerW)
            #expect(ea.latencyCycles != base.latencyCycles, "the override changes \(t)'s cycles")
        }
    }

    @Test func aSpecFigureWinsOverTheOverrideFile() throws {
        let d = try Self.folder()
        try "base: u280\nconstants: {blocking_read_cycles: 9}\n".write(toFile: d + "/o.yaml", atomically: true, encoding: .utf8)
        try Self.spec(platform: "{base: u280, override: o.yaml, blocking_read_cycles: 12}").write(toFile: d + "/s.yaml", atomically: true, encoding: .utf8)
        #expect(try DesignSpec.load(path: d + "/s.yaml").platform.blockingReadCycles == 12)
    }

    @Test func badOverridesNameTheFileKeyValueAndWhatIsAccepted() throws {
        let d = try Self.folder()
        func error(_ override: String, platform: String = "{base: u280, override: o.yaml}") throws -> String {
            try override.write(toFile: d + "/o.yaml", atomically: true, encoding: .utf8)
            try Self.spec(platform: platform).write(toFile: d + "/s.yaml", atomically: true, encoding: .utf8)
            do {
                _ = try DesignSpec.load(path: d + "/s.yaml")
                return "no error"
            } catch let e as SpecError { return e.description }
        }
        let unknown = try error("base: u280\nconstants: {blocking_read: 9}\n")
        #expect(unknown.contains("o.yaml: constants.blocking_read: unknown key; accepted: blocking_read_cycles, "))
        let out = try error("base: u280\nconstants: {mac_pipeline_base_depth_cycles: 50}\n")
        #expect(out.contains("o.yaml: constants.mac_pipeline_base_depth_cycles: '50': out of range; accepted: a number >= 2.0 and <= 20.0"))
        let other = try error("base: u250\nconstants: {sfu_depth_cycles: 9}\n")
        #expect(other.contains("o.yaml: base: 'u250': the override was fitted for another platform than the spec's base (u280); accepted: u280"))
        let missing = try error("", platform: "{base: u280, override: nowhere.yaml}")
        #expect(missing.contains("s.yaml: platform.override: 'nowhere.yaml': no such file"))
        let both = try error("", platform: "{base: u280, name: u280}")
        #expect(both.contains("platform.base: both name and base are given"))
    }
}
