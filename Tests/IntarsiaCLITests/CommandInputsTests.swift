import Testing
@testable import IntarsiaDriver

/// The option values the executable hands to the driver as text.
@Suite struct CommandInputsTests {
    @Test func oneParamGrammar() throws {
        let p = try CommandInputs.parameters(["sequence_length=128, 256", "size_divisor=16"])
        #expect(p.map(\.0) == ["sequence_length", "size_divisor"])
        #expect(p.map(\.1) == [[128, 256], [16]])
        for bad in ["size_divisor", "=4", "size_divisor=x", "size_divisor=4,y", "size_divisor="] {
            #expect(throws: UserError.self, "\(bad)") { try CommandInputs.parameters([bad]) }
        }
    }

    @Test func hlsTakesOneValuePerKey() throws {
        #expect(try CommandInputs.singleParameters(["size_divisor=16"], command: "hls") == ["size_divisor": 16])
        do {
            _ = try CommandInputs.singleParameters(["size_divisor=8,16"], command: "hls")
            Issue.record("a sweep was taken")
        } catch let e as UserError {
            #expect(e.description.contains("--param 'size_divisor=8,16'") && e.description.contains("one value per key"))
        }
    }

    @Test func shardIsChecked() throws {
        var o = SearchJob.Options()
        try o.setShard("2/3")
        #expect(o.shard?.index == 2 && o.shard?.count == 3)
        for bad in ["3/3", "-1/2", "0/0", "1", "a/b", "0/9223372036854775808"] {
            #expect(throws: UserError.self, "\(bad)") { try o.setShard(bad) }
        }
    }
}
