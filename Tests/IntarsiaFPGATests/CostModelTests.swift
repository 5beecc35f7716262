import Testing
import IntarsiaCore
@testable import IntarsiaFPGA

/// Figures worked out by hand from the model's stated mechanisms (docs/MODEL.md) on a U280 at
/// 300 MHz: HBM pseudo-channel 14.375 GB/s = 47.92 B/cycle, a stage switch 20 ns = 6 cycles,
/// MAC pipeline depth 6 + ceil(log2(lanes along the reduction)).
@Suite struct CostModelTests {
    let u280 = PlatformCatalog.u280

    func matmul(_ name: String, m: Int, k: Int, n: Int, offChip: Bool = false) -> Task {
        Task(name: name, op: .matmul(m: m, k: k, n: n, weightsOffChip: offChip), dataType: .int16)
    }

    func one(_ t: Task) throws -> FPGAModel {
        FPGAModel(workload: try Workload(name: "one", tasks: [(t, [.init("input", .stream)])]), platform: u280)
    }

    @Test func flattenedAndUnflattenedLoopNests() throws {
        let model = try one(matmul("a", m: 4, k: 32, n: 8))
        // 16 lanes along k: 2 k-steps, 4 rows, 8 columns; depth 6 + log2(16) = 10.
        var p = DesignPoint(template: .sequential, lanes: 16)
        #expect(model.evaluate(p).latencyCycles == 8 * 4 * 2 + 10 + 6)
        p.flattenLoops = false
        #expect(model.evaluate(p).latencyCycles == 8 * 4 * (2 + 10) + 6)
    }

    @Test func blockingReadsCostTheirLatencyPerWord() throws {
        let model = try one(matmul("fc", m: 1, k: 256, n: 1024, offChip: true))
        let p = DesignPoint(template: .sequential, lanes: 16, weightLoad: .blocking, wordBits: 256)
        // compute 1024·16 + 10; weights 1024 columns × 16 words × 7.6; input 512 B = 16 words × 7.6.
        let compute: Double = 1024 * 16 + 10
        let reads: Double = 1024 * 16 * 7.6 + 16 * 7.6
        let expected = compute + reads + 6
        #expect(abs(model.evaluate(p).latencyCycles - expected) < 1e-6)
    }

    @Test func doubleBufferedWeightsAreBandwidthBound() throws {
        let model = try one(matmul("fc", m: 1, k: 256, n: 1024, offChip: true))
        let p = DesignPoint(template: .sequential, lanes: 256, weightLoad: .doubleBuffered, wordBits: 512)
        // compute 1024 + 14 < (524,288 + 512) B / 64 B per cycle = 8,200; + burst 64 + first column 8 words.
        #expect(model.evaluate(p).latencyCycles == 8200 + 64 + 8 + 6)
        #expect(model.evaluate(p).offChipBytes == 524_288 + 512 + 1024 * 2)
    }

    func chain(_ kind: EdgeKind) throws -> FPGAModel {
        let w = try Workload(name: "chain", tasks: [
            (matmul("a", m: 64, k: 16, n: 16), [.init("input", .stream)]),
            (matmul("b", m: 64, k: 16, n: 16), [.init("a", kind)]),
        ])
        return FPGAModel(workload: w, platform: u280)
    }

    @Test func barrierSerialisesAndStreamOverlaps() throws {
        let p = DesignPoint(template: .dataflow, lanes: 32, allocation: .uniform)
        // Each task: 16 lanes, 64 rows × 16 columns × 1 k-step + depth 10 = 1034 cycles.
        #expect(try chain(.barrier).evaluate(p).latencyCycles == 1034 + 1034 + 6)
        // Streamed: b starts after a's first of 64 chunks and ends one chunk after a.
        let fill = 1034.0 / 64
        #expect(abs(try chain(.stream).evaluate(p).latencyCycles - (fill + 1034 + 6)) < 1e-9)
    }

    @Test func sequentialSpillsWhatTheScratchpadCannotHold() throws {
        let model = try chain(.barrier)
        var p = DesignPoint(template: .sequential, lanes: 16, scratchpadKiB: 0)
        let noSpill = 2.0 * (1034 + 6)
        let total = 32 * 47.916666666666664  // bytes per cycle of all 32 pseudo-channels
        let e0 = model.evaluate(p)
        #expect(abs(e0.latencyCycles - (noSpill + 2 * 2048 / total + 2 * 64)) < 1e-6)
        #expect(e0.offChipBytes == 2048 + 2 * 2048 + 2048)  // input, spill out and back, output
        p.scratchpadKiB = 1
        #expect(model.evaluate(p).offChipBytes == 2048 + 2 * 1024 + 2048)
        p.scratchpadKiB = 4
        #expect(model.evaluate(p).latencyCycles == noSpill)
        p.spill = .always
        #expect(model.evaluate(p).offChipBytes == 2048 + 2 * 2048 + 2048)
    }

    @Test func dspFollowsLanesAndDataType() throws {
        let w16 = try one(matmul("a", m: 8, k: 64, n: 64))
        #expect(w16.evaluate(DesignPoint(template: .sequential, lanes: 64)).dsp == 64 + 4)
        let w8 = FPGAModel(workload: try Workload(name: "a", tasks: [(Task(name: "a", op: .matmul(m: 8, k: 64, n: 64, weightsOffChip: false), dataType: .int8), [])]), platform: u280)
        #expect(w8.evaluate(DesignPoint(template: .sequential, lanes: 64)).dsp == 32 + 4)
    }

    @Test func constraintsAreReportedByName() throws {
        var k = Constraints()
        k.dspFraction = 0.01
        k.maxLatencyMs = 1e-9
        let m = FPGAModel(workload: try BuiltinWorkload.mlp.make(), platform: u280, constraints: k)
        let e = m.evaluate(DesignPoint(template: .sequential, lanes: 1024))
        #expect(e.violations.contains(.dsp) && e.violations.contains(.latency) && !e.feasible)
        let text = e.violationText(platform: u280, constraints: k)
        #expect(text.contains("dsp 1028 > 90 (1% of 9024)"))
        #expect(text.contains("latency_ms"))
    }

    @Test func utilisationNeverExceedsOne() throws {
        for b in BuiltinWorkload.allCases {
            let m = FPGAModel(workload: try b.make(), platform: u280)
            for t in TemplateKind.allCases {
                for lanes in [16, 100, 1024] {
                    let e = m.evaluate(DesignPoint(template: t, lanes: lanes, computeUnits: 3))
                    #expect(e.utilization > 0 && e.utilization <= 1, "\(b) \(t) \(lanes)")
                    #expect(e.latencyCycles >= e.macs / Double(lanes))
                }
            }
        }
    }
}

@Suite struct MechanismTests {
    let u280 = PlatformCatalog.u280

    @Test func unpipelinedLoopsPayTheBodyLatencyEveryIteration() throws {
        let w = try Workload(name: "a", tasks: [(Task(name: "a", op: .matmul(m: 4, k: 32, n: 8, weightsOffChip: false), dataType: .int16), [])])
        let m = FPGAModel(workload: w, platform: u280)
        // 8 columns × 4 rows × 2 k-steps = 64 iterations, each the depth 6 + log2(16) = 10 cycles.
        #expect(m.evaluate(DesignPoint(template: .sequential, lanes: 16, pipelined: false)).latencyCycles == 64 * 10 + 6)
    }

    func record(_ m: FPGAModel, _ p: DesignPoint) -> [String: TaskRecord] {
        var r = BreakdownRecorder()
        _ = m.evaluate(p, recorder: &r)
        return Dictionary(uniqueKeysWithValues: r.tasks.map { ($0.task, $0) })
    }

    @Test func scalarFifosBoundTheirConsumers() throws {
        let m = FPGAModel(workload: try BuiltinWorkload.cnn4l.make(), platform: u280)
        let wide = record(m, DesignPoint(template: .dataflow, lanes: 864))
        let scalar = record(m, DesignPoint(template: .dataflow, lanes: 864, streamElements: 1))
        // conv3 reads the 896×896 up-sampled map: at one element a cycle it is busy at least that long.
        #expect(scalar["conv3"]!.busyCycles >= 896 * 896)
        #expect(wide["conv3"]!.busyCycles < 896 * 896 / 10)
    }

    @Test func eitherOperandStreamsAgainstACompleteOne() throws {
        let w = try BuiltinWorkload.selfAttention.make()
        let p = DesignPoint(template: .reconfigurable, lanes: 32, computeUnits: 2)
        // Q complete in an earlier stage: K streams into Q·Kᵀ, which starts long before K ends.
        let pipelined = record(try FPGAModel(workload: w, platform: u280, reconfigurableSchedule: [[0], [1, 3, 4], [2], [5]]), p)
        #expect(pipelined["qk"]!.startCycle < pipelined["k_proj"]!.finishCycle / 100)
        // Q and K in the same stage (dataflow): Q·Kᵀ holds K whole and waits for it.
        let df = record(FPGAModel(workload: w, platform: u280), DesignPoint(template: .dataflow, lanes: 160))
        #expect(df["qk"]!.startCycle >= df["k_proj"]!.finishCycle)
    }

    @Test func matrixVectorProductsCanAccumulateOuterProducts() throws {
        let m = FPGAModel(workload: try BuiltinWorkload.mlp.make(), platform: u280)
        let dot = record(m, DesignPoint(template: .dataflow, lanes: 48, allocation: .uniform, matVec: .dot))
        let auto = record(m, DesignPoint(template: .dataflow, lanes: 48, allocation: .uniform, matVec: .auto))
        // Dot products: each layer waits for the whole previous vector.
        #expect(dot["fc2"]!.startCycle >= dot["fc1"]!.finishCycle)
        #expect(dot["fc3"]!.startCycle >= dot["fc2"]!.finishCycle)
        // auto: fc2 accumulates an outer product over fc1's stream (output only at its end), so
        // fc3 takes dot products after it.
        #expect(auto["fc2"]!.startCycle < auto["fc1"]!.finishCycle)
        #expect(auto["fc3"]!.startCycle >= auto["fc2"]!.finishCycle)
        let e = m.evaluate(DesignPoint(template: .dataflow, lanes: 48, allocation: .uniform, matVec: .auto)).latencyCycles
        #expect(e < m.evaluate(DesignPoint(template: .dataflow, lanes: 48, allocation: .uniform, matVec: .dot)).latencyCycles)
    }
}

/// A depthwise convolution on an FPGA unit: each output channel (a column of the loop nest)
/// reduces only its own channel's 3×3 window, so the lanes lie along 9 MACs and the rest along
/// pixels (issue 12: no input-channel reduction for grouped layers).
@Suite struct GroupedConvolutionTests {
    @Test func depthwiseLoopNestByHand() throws {
        let t = Task(name: "dw", op: .conv2d(batch: 1, channels: 32, height: 16, width: 16, filters: 32, kernelH: 3, kernelW: 3, stride: 1, padding: 1, groups: 32),
                     dataType: .int16)
        let w = try Workload(name: "dw", tasks: [(t, [.init("input", .stream)])])
        let c = CompiledWorkload(w, platform: PlatformCatalog.u280)
        // 64 lanes: 9 along the reduction, ⌊64/9⌋ = 7 along the 256 pixels (37 row steps), 1 k step, 32 columns.
        let b = c.loopBounds(0, lanes: 64)!
        #expect(b.i == 32 && b.j == 37 && b.k == 1)
        #expect(c.tasks[0].macs == 256 * 32 * 9 && c.tasks[0].offChipWeightBytes == 32 * 9 * 2)
        // Dense, the same shape without groups: 32× the MACs and a 288-long reduction.
        let dense = try Workload(name: "d", tasks: [(Task(name: "c", op: .conv2d(batch: 1, channels: 32, height: 16, width: 16, filters: 32, kernelH: 3, kernelW: 3, stride: 1, padding: 1),
                                                          dataType: .int16), [.init("input", .stream)])])
        #expect(CompiledWorkload(dense, platform: PlatformCatalog.u280).tasks[0].macs == 32 * c.tasks[0].macs)
    }
}
