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

    /// `&ACCESSES` after a nest: single-element off-chip accesses in series per entry, each at
    /// the platform's blocking access cycles. VAE sequential's final_relu by hand: per channel
    /// 1,568 iterations of 2 cycles, 958 in series and 2,352 accesses of 7.6 cycles:
    /// 2 x (3,136 + 958 + 17,875.2) = 43,938.4.
    @Test func offChipAccessesAreRead() throws {
        let (tasks, _) = try AsBuiltTasks.parse(["task_loops=dec2_relu:2x1568+958@2&2352,dec1:2500x2+82&1"], owner: "row 17")
        #expect(tasks.loops?["dec2_relu"] == BuiltLoop(outer: 2, inner: 1568, serial: 958, iterationCycles: 2, accesses: 2352))
        #expect(tasks.loops?["dec1"] == BuiltLoop(outer: 2500, inner: 2, serial: 82, accesses: 1))
        let cycles = try #require(tasks.loops?["dec2_relu"]).sfuCycles(accessCycles: 7.6)
        #expect(abs(cycles - 43_938.4) < 1e-6)
    }

    /// `@CYCLES` after a nest: cycles per iteration of a special-function task's unpipelined loop;
    /// `task_streams` lists edges streamed as built.
    @Test func iterationCyclesAndStreamedEdgesAreRead() throws {
        let (tasks, _) = try AsBuiltTasks.parse(["task_loops=dec2_relu:2x1568+784@2,dec1:2500x2", "task_streams=k_proj>qk"], owner: "row 2")
        #expect(tasks.loops?["dec2_relu"] == BuiltLoop(outer: 2, inner: 1568, serial: 784, iterationCycles: 2))
        #expect(tasks.loops?["dec1"] == BuiltLoop(outer: 2500, inner: 2))
        #expect(tasks.streams == ["k_proj>qk"])
        // 2 x (1,568 x 2 + 784): the VAE designs' final_relu, counted by hand.
        #expect(tasks.loops?["dec2_relu"]?.sfuCycles(accessCycles: 7.6) == 7_840)
        for bad in ["task_loops=dec2_relu:2x1568@0", "task_loops=dec2_relu:2x1568@1.5", "task_loops=dec2_relu:2x1568@", "task_streams=qk",
                    "task_loops=dec1:2500x2+82&", "task_loops=dec1:2500x2+82&-1", "task_loops=dec1:2500x2+82&0.5", "task_loops=dec1:2500x2&1&1"] {
            do {
                _ = try AsBuiltTasks.parse([bad], owner: "row 2")
                Issue.record("\(bad) must be refused")
            } catch {
                #expect("\(error)".contains("row 2") && "\(error)".contains("accepted"), "\(error)")
            }
        }
    }

    /// `@CYCLES` on a MAC task and `task_streams` into a special-function task are refused by name.
    @Test func iterationCyclesOnAMACTaskAndStreamsIntoAnSFUAreRefused() throws {
        let w = CompiledWorkload(try BuiltinWorkload.vae.make(), platform: PlatformCatalog.u280)
        do {
            _ = try AsBuiltTasks(loops: ["dec1": BuiltLoop(outer: 2500, inner: 2, iterationCycles: 2)]).resolve(w, owner: "VAE")
            Issue.record("@2 on a MAC task must be refused")
        } catch { #expect("\(error)".contains("'dec1'") && "\(error)".contains("special-function tasks only")) }
        do {
            _ = try AsBuiltTasks(streams: ["dec2>dec2_relu"]).resolve(w, owner: "VAE")
            Issue.record("a stream into an SFU task must be refused")
        } catch { #expect("\(error)".contains("'dec2>dec2_relu'") && "\(error)".contains("MAC task")) }
        do {
            _ = try AsBuiltTasks(streams: ["enc1>dec2"]).resolve(w, owner: "VAE")
            Issue.record("an edge the workload lacks must be refused")
        } catch { #expect("\(error)".contains("task_streams") && "\(error)".contains("PRODUCER>CONSUMER")) }
    }
}
