import Testing
import IntarsiaCore
import IntarsiaFPGA
@testable import IntarsiaDriver

/// `task_loops` entries of a measurements CSV's knobs column (docs/CSV.md, "Measurements"): the
/// nest's trip counts and, after `+`, the cycles in series per entry.
@Suite struct AsBuiltTasksParseTests {
    @Test func aLoopWithCyclesInSeriesIsRead() throws {
        let (tasks, rest) = try AsBuiltTasks.parse(["lanes=432", "task_loops=conv3:448x112+28,sv:64x256"], owner: "row 2")
        #expect(rest == ["lanes=432"])
        #expect(tasks.loops?["conv3"] == BuiltLoop(outer: 448, inner: 112, serial: 28))
        #expect(tasks.loops?["sv"] == BuiltLoop(outer: 64, inner: 256, serial: 0))
    }

    @Test func aMalformedSerialPartIsRefusedNamingTheEntry() {
        for bad in ["conv3:448x112+", "conv3:448x112+-1", "conv3:448x112+2.5", "conv3:448x112+1+2"] {
            #expect(throws: UserError.self) { try AsBuiltTasks.parse(["task_loops=\(bad)"], owner: "row 2") }
            do {
                _ = try AsBuiltTasks.parse(["task_loops=\(bad)"], owner: "row 2")
            } catch {
                #expect("\(error)".contains("'\(bad)'") && "\(error)".contains("SERIAL"), "\(error)")
            }
        }
    }
}
