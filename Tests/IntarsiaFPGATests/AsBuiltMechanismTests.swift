import Testing
import IntarsiaCore
@testable import IntarsiaFPGA

/// The knobs that describe how a built design was written (`Knob.asBuilt`), on tiny workloads
/// whose figures are worked out by hand (U280 at 300 MHz: a stage switch 20 ns = 6 cycles, MAC
/// pipeline depth 6 + ceil(log2(lanes along the reduction)), a write response 64 cycles).
@Suite struct AsBuiltMechanismTests {
    let u280 = PlatformCatalog.u280

    func matmul(_ name: String, m: Int, k: Int, n: Int) -> Task {
        Task(name: name, op: .matmul(m: m, k: k, n: n, weightsOffChip: false), dataType: .int16)
    }

    /// 4×32 by 32×8 int16 on 16 lanes along k: 8 columns × 4 rows × 2 k-steps + depth 10, plus
    /// the stage switch: 80 cycles. Its output, 32 elements of 2 bytes, is 64 B: two 256-bit words.
    @Test func everyWrittenWordWaitsForItsResponse() throws {
        let model = FPGAModel(workload: try Workload(name: "one", tasks: [(matmul("a", m: 4, k: 32, n: 8), [.init("input", .stream)])]),
                              platform: u280)
        var p = DesignPoint(template: .sequential, lanes: 16, wordBits: 256)
        #expect(model.evaluate(p).latencyCycles == 80)
        p.writeWait = true
        #expect(model.evaluate(p).latencyCycles == 80 + 2 * 64)
        p.wordBits = 512  // one 64-byte word
        #expect(model.evaluate(p).latencyCycles == 80 + 64)
        var slow = u280
        slow.writeResponseCycles = 100
        let other = FPGAModel(workload: model.compiled.workload, platform: slow)
        #expect(other.evaluate(p).latencyCycles == 80 + 100)
    }

    /// A stage writes its smallest tensor from its last MAC task on: the up-sampling after the
    /// product (4×8 → 8×16, 256 B) is left to the reader, so the stage still writes 64 B.
    @Test func aStageWritesItsSmallestTensor() throws {
        let w = try Workload(name: "up", tasks: [
            (matmul("a", m: 4, k: 32, n: 8), [.init("input", .stream)]),
            (Task(name: "up", op: .upsample(channels: 1, height: 4, width: 8, factor: 2), dataType: .int16), [.init("a", .stream)]),
        ])
        let model = FPGAModel(workload: w, platform: u280)
        var p = DesignPoint(template: .sequential, lanes: 16, wordBits: 256)
        let without = model.evaluate(p).latencyCycles
        p.writeWait = true
        #expect(model.evaluate(p).latencyCycles == without + 2 * 64)
    }

    /// Two products in sequence, each its own stage: each stage waits for its own words (a's
    /// 64 B and b's 4×8 output, 64 B), and the spill between them is the same with and without.
    @Test func eachStageWaitsForItsOwnWrites() throws {
        let w = try Workload(name: "two", tasks: [
            (matmul("a", m: 4, k: 32, n: 8), [.init("input", .stream)]),
            (matmul("b", m: 4, k: 8, n: 8), [.init("a", .stream)]),
        ])
        let model = FPGAModel(workload: w, platform: u280)
        var p = DesignPoint(template: .sequential, lanes: 16, wordBits: 256, spill: .always)
        let without = model.evaluate(p)
        p.writeWait = true
        let with = model.evaluate(p)
        #expect(with.latencyCycles == without.latencyCycles + 4 * 64)
        #expect(with.offChipBytes == without.offChipBytes)
    }
}
