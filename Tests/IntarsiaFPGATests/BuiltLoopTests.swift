import Testing
import IntarsiaCore
@testable import IntarsiaFPGA

/// Loop nests as built (`BuiltLoop`, docs/MODEL.md "Tasks as built") on a product whose figures
/// are worked out by hand: 4×32 by 32×8 int16 on 16 lanes along k, sequential, U280 (stage switch
/// 20 ns at 300 MHz = 6 cycles; pipeline depth 6 + ceil(log2 16) = 10): 8 × 4 × 2 + 10 + 6 = 80.
@Suite struct BuiltLoopTests {
    let workload = try! Workload(name: "one", tasks: [
        (Task(name: "a", op: .matmul(m: 4, k: 32, n: 8, weightsOffChip: false), dataType: .int16), [.init("input", .stream)]),
    ])
    var model: FPGAModel { FPGAModel(workload: workload, platform: PlatformCatalog.u280) }

    func cycles(_ p: DesignPoint, loop: BuiltLoop?, lanes: Double? = nil) -> Double {
        var s = model.schedule(p)
        s.stages[0].builtLoops = loop.map { [$0] }
        if let lanes { s.stages[0].taskLanes = [lanes] }
        var none = NoRecorder()
        return model.evaluate(p, schedule: s, recorder: &none).latencyCycles
    }

    @Test func noBuiltLoopLeavesTheModelAsItIs() {
        let p = DesignPoint(template: .sequential, lanes: 16)
        #expect(cycles(p, loop: nil) == 80)
        #expect(model.evaluate(p).latencyCycles == 80)
    }

    /// 10 entries of a 7-iteration pipelined loop replace the 64 iterations of the product.
    @Test func theNestReplacesTheComputeCyclesUnderEachLoopKnob() {
        var p = DesignPoint(template: .sequential, lanes: 16)
        let loop = BuiltLoop(outer: 10, inner: 7)
        #expect(cycles(p, loop: loop) == 70 + 10 + 6)  // flattened: one fill
        p.flattenLoops = false
        #expect(cycles(p, loop: loop) == 10 * (7 + 10) + 6)  // a drain per entry
        p.pipelined = false
        #expect(cycles(p, loop: loop) == 70 * 10 + 6)  // every iteration the body's latency
    }

    /// The lanes one iteration uses set the depth: 4 lanes along k, 6 + 2 = 8.
    @Test func theTaskLanesSetTheDepth() {
        let p = DesignPoint(template: .sequential, lanes: 16)
        #expect(cycles(p, loop: BuiltLoop(outer: 10, inner: 7), lanes: 4) == 70 + 8 + 6)
    }

    /// A row fetch of 3 cycles in series with each of the 10 entries adds 30 cycles under every
    /// loop knob: 70 + 10 + 30 + 6; 10 × (7 + 10) + 30 + 6; 70 × 10 + 30 + 6.
    @Test func cyclesInSeriesAddOncePerEntry() {
        var p = DesignPoint(template: .sequential, lanes: 16)
        let loop = BuiltLoop(outer: 10, inner: 7, serial: 3)
        #expect(cycles(p, loop: loop) == 116)
        p.flattenLoops = false
        #expect(cycles(p, loop: loop) == 206)
        p.pipelined = false
        #expect(cycles(p, loop: loop) == 736)
    }

    /// Two single-element off-chip accesses in series with each of the 10 entries, each at the
    /// platform's blocking access (U280: 7.6 cycles): 10 x 2 x 7.6 = 152 on top of the 116 above;
    /// with the blocking access set to 20 cycles (a calibrated platform), 400 instead.
    @Test func offChipAccessesAddOncePerEntryAtTheBlockingAccess() throws {
        let p = DesignPoint(template: .sequential, lanes: 16)
        let loop = BuiltLoop(outer: 10, inner: 7, serial: 3, accesses: 2)
        #expect(abs(cycles(p, loop: loop) - (116 + 152)) < 1e-9)
        var platform = PlatformCatalog.u280
        platform.blockingReadCycles = 20
        let slow = FPGAModel(workload: workload, platform: platform)
        var s = slow.schedule(p)
        s.stages[0].builtLoops = [loop]
        var none = NoRecorder()
        #expect(abs(slow.evaluate(p, schedule: s, recorder: &none).latencyCycles - (116 + 400)) < 1e-9)
    }
}
