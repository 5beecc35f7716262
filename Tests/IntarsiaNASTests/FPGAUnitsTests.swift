import Foundation
import Testing
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaASIC
@testable import IntarsiaNAS

@Suite struct FPGAUnitsTests {
    static let u280 = PlatformCatalog.u280
    /// (input size, classes) of CIFAR-10, CIFAR-100 and ImageNet16-120.
    static let datasets = NB201Table.Dataset.allCases.map { ($0.inputSize, $0.classes) }

    static func cell(_ ops: [NB201Cell.Operation]) -> NB201Cell { NB201Cell(edges: ops) }

    /// Hand-picked cells: empty, only skips, only one kind of operation, dead nodes, duplicate
    /// skips into one sum, a cell whose output node gets nothing.
    static let special: [NB201Cell] = [
        cell(Array(repeating: .none, count: 6)),
        cell(Array(repeating: .skipConnect, count: 6)),
        cell(Array(repeating: .conv3x3, count: 6)),
        cell(Array(repeating: .conv1x1, count: 6)),
        cell(Array(repeating: .avgPool3x3, count: 6)),
        NB201Cell("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|")!,
        NB201Cell("|skip_connect~0|+|none~0|none~1|+|skip_connect~0|skip_connect~1|none~2|")!,    // two skips of one tensor
        NB201Cell("|nor_conv_1x1~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|")!,           // node 1 dead
        NB201Cell("|nor_conv_3x3~0|+|avg_pool_3x3~0|none~1|+|none~0|none~1|none~2|")!,           // output gets nothing
        NB201Cell("|none~0|+|nor_conv_3x3~0|none~1|+|nor_conv_1x1~0|nor_conv_3x3~1|avg_pool_3x3~2|")!,  // edge from an empty node
    ]

    /// Units that reach every branch of the model: no spills, spills over a small scratchpad,
    /// every tensor spilled with blocking reads, buffered weights on a narrow port.
    static let units: [FPGAUnit] = [
        FPGAUnit(lanes: 1024),
        FPGAUnit(lanes: 256, weightLoad: .buffered, scratchpadKiB: 16, wordBits: 128),
        FPGAUnit(lanes: 96, weightLoad: .blocking, scratchpadKiB: 0, wordBits: 256, spill: .always),
        FPGAUnit(lanes: 4096, weightLoad: .doubleBuffered, scratchpadKiB: 8, wordBits: 512, spill: .overflow),
    ]

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1) }

    static func checkFastPath(_ unit: FPGAUnit, _ cells: [NB201Cell], inputSize: Int, classes: Int, platform: FPGAPlatform = u280) throws {
        let fast = FPGAUnits.nb201Costs(unit: unit, cells: cells, inputSize: inputSize, classes: classes, platform: platform)
        for (i, c) in cells.enumerated() {
            let w = try NB201Network.workload(c, inputSize: inputSize, classes: classes)
            let full = FPGAUnits.cost(of: unit, workload: w, platform: platform)
            #expect(close(fast.cycles[i], full.cycles), "cycles \(c) on \(unit) at \(inputSize): \(fast.cycles[i]) vs \(full.cycles)")
            #expect(close(fast.dynamicEnergyPicojoules[i], full.dynamicEnergyPicojoules),
                    "energy \(c) on \(unit) at \(inputSize): \(fast.dynamicEnergyPicojoules[i]) vs \(full.dynamicEnergyPicojoules)")
        }
    }

    /// The fast path equals the FPGA model on the full workload: the hand-picked cells and every
    /// 61st cell of the space (256 cells) on the first unit and all three datasets; the others
    /// on every 241st cell (65) and the hand-picked ones.
    @Test(arguments: 0..<3)
    func fastPathEqualsFullWorkloadCost(dataset: Int) throws {
        let (size, classes) = Self.datasets[dataset]
        let sample = Self.special + stride(from: 0, to: 15_625, by: 61).map { NB201Cell.all[$0] }
        try Self.checkFastPath(Self.units[0], sample, inputSize: size, classes: classes)
        let small = Self.special + stride(from: 7, to: 15_625, by: 241).map { NB201Cell.all[$0] }
        for u in Self.units.dropFirst() {
            try Self.checkFastPath(u, small, inputSize: size, classes: classes)
        }
    }

    /// A DDR-only part without URAM (the ZCU102): other memory energy, BRAM scratchpad, fewer
    /// channels for spills.
    @Test func fastPathOnAnotherPlatform() throws {
        let zcu = PlatformCatalog.named("zcu102")!
        let cells = Self.special + stride(from: 3, to: 15_625, by: 499).map { NB201Cell.all[$0] }
        try Self.checkFastPath(FPGAUnit(lanes: 512, scratchpadKiB: 32, wordBits: 128), cells, inputSize: 32, classes: 10, platform: zcu)
    }

    /// Spills happen (so the spill formula is exercised) and cost cycles.
    @Test func smallScratchpadSpills() {
        let c = [NB201Cell.all[15_624]]
        let roomy = FPGAUnits.nb201Costs(unit: FPGAUnit(lanes: 256), cells: c, inputSize: 32, classes: 10, platform: Self.u280)
        let tight = FPGAUnits.nb201Costs(unit: FPGAUnit(lanes: 256, scratchpadKiB: 0), cells: c, inputSize: 32, classes: 10, platform: Self.u280)
        #expect(tight.cycles[0] > roomy.cycles[0])
        #expect(tight.dynamicEnergyPicojoules[0] > roomy.dynamicEnergyPicojoules[0])
    }

    /// Compute fabric by hand (int8, U280): 1024 lanes are 512 DSPs (two int8 MACs per DSP48E2);
    /// LUT 1024 × 24 + 3000 + 3 SFU kinds (ReLU, add, pooling) × 8 LUT × SFU width
    /// max(16, 1024/16 = 64) = 29,112; FF 1024 × 48 + 4500 + 3 × 16 × 64 = 56,724. Scratchpad
    /// 4096 KiB = 128 URAM.
    @Test func resourcesByHand() {
        let r = FPGAUnits.resources(of: FPGAUnit(lanes: 1024), platform: Self.u280)
        #expect(r.dsp == 512)
        #expect(r.lut == 29_112)
        #expect(r.ff == 56_724)
        #expect(r.uram >= 128)
        // The weight double buffer of a 64-channel 3×3 convolution (576 × 2 bytes, read by 576
        // lanes of 8 bits: 576 × 8 / 36 = 128 BRAM18K) is the least a stage needs.
        #expect(r.bram18k >= 128)
        let noScratch = FPGAUnits.resources(of: FPGAUnit(lanes: 1024, scratchpadKiB: 0), platform: Self.u280)
        #expect(r.uram - noScratch.uram == 128)
        #expect(r.bram18k == noScratch.bram18k)
    }

    /// The model's own resources for the equivalent design point on a one-layer workload (a
    /// 64-channel 3×3 convolution and its ReLU): the same MAC fabric, and the weight buffer
    /// within the unit's stage buffers.
    @Test func resourcesAgreeWithTheModelOnOneLayer() throws {
        let u = FPGAUnit(lanes: 1024, scratchpadKiB: 0)
        let w = try Workload(name: "one", tasks: [
            (Task(name: "conv", op: .conv2d(batch: 1, channels: 64, height: 8, width: 8, filters: 64, kernelH: 3, kernelW: 3, stride: 1, padding: 1), dataType: .int8), [.init("input", .stream)]),
        ])
        let e = FPGAModel(workload: w, platform: Self.u280).evaluate(u.designPoint)
        let sh = Self.u280.shell
        let r = FPGAUnits.resources(of: u, platform: Self.u280)
        #expect(r.dsp == e.dsp - sh.dsp)
        // A one-layer workload has no SFU: the unit adds its three SFU kinds (3 × 8 LUT, 3 × 16 FF per lane of 64).
        #expect(r.lut == e.lut - sh.lut + 3 * 8 * 64)
        #expect(r.ff == e.ff - sh.ff + 3 * 16 * 64)
        #expect(e.bram18k - sh.bram18k == 128)
        #expect(r.bram18k >= e.bram18k - sh.bram18k)
    }

    /// The unit's stage-buffer provision is the model's figure for the worst cell, and bounds
    /// it for every other cell; the DSP/LUT/FF equal the model's for a cell using every SFU kind.
    @Test func resourcesAgreeWithTheModelOnNB201() throws {
        let u = FPGAUnit(lanes: 1024, scratchpadKiB: 64)
        let r = FPGAUnits.resources(of: u, platform: Self.u280)
        let scratch = FPGAUnits.scratchpadBlocks(of: u, platform: Self.u280)
        let sh = Self.u280.shell
        // The cell with every kind (ReLU and convolutions, average pool, sums).
        let mixed = Self.special[5]
        let e = FPGAModel(workload: try NB201Network.workload(mixed), platform: Self.u280).evaluate(u.designPoint)
        #expect(r.dsp == e.dsp - sh.dsp)
        #expect(r.lut == e.lut - sh.lut)
        #expect(r.ff == e.ff - sh.ff)
        var worst = (bram: 0, uram: 0)
        for c in Self.special + stride(from: 0, to: 15_625, by: 397).map({ NB201Cell.all[$0] }) {
            for size in [32, 16] {
                let m = FPGAModel(workload: try NB201Network.workload(c, inputSize: size), platform: Self.u280).evaluate(u.designPoint)
                #expect(m.bram18k - sh.bram18k <= r.bram18k)
                #expect(m.uram - sh.uram <= r.uram)
                worst = (max(worst.bram, m.bram18k - sh.bram18k - scratch.bram18k), max(worst.uram, m.uram - sh.uram - scratch.uram))
            }
        }
        // The provision is attained by some cell: check it with the model on the argmax.
        let sizes = [32, 16]
        var best: (cell: NB201Cell, size: Int, bram: Int)? = nil
        for size in sizes {
            var pricer = NB201SequentialPricer(unit: u, inputSize: size, classes: 10, platform: Self.u280, dataType: .int8)
            for c in NB201Cell.all {
                let b = Int(pricer.price(c).stageBram18k)
                if best == nil || b > best!.bram { best = (c, size, b) }
            }
        }
        let m = FPGAModel(workload: try NB201Network.workload(best!.cell, inputSize: best!.size), platform: Self.u280).evaluate(u.designPoint)
        #expect(m.bram18k - sh.bram18k == r.bram18k - scratch.bram18k)
        #expect(worst.bram <= best!.bram)
    }

    @Test func budgetViolations() {
        let p = Self.u280
        let small = [FPGAUnit(lanes: 1024), FPGAUnit(lanes: 2048)]
        #expect(FPGAUnits.budgetViolations(small, platform: p).isEmpty)
        // 3 × 8192 lanes: 3 × 4096 DSP + 4 (shell) = 12,292 > 9,024.
        let big = Array(repeating: FPGAUnit(lanes: 8192), count: 3)
        let v = FPGAUnits.budgetViolations(big, platform: p)
        #expect(v.contains("dsp 12292 > 9024"))
        // At a cap of 80% of the DSPs (7,219) one 8192-lane unit (4096 + 4 DSP) fits, two do not.
        var k = Constraints()
        k.dspFraction = 0.8
        #expect(FPGAUnits.budgetViolations([FPGAUnit(lanes: 8192)], platform: p, constraints: k).filter { $0.hasPrefix("dsp") }.isEmpty)
        #expect(FPGAUnits.budgetViolations(Array(repeating: FPGAUnit(lanes: 8192), count: 2), platform: p, constraints: k).contains("dsp 8196 > 7219"))
        // URAM: 960 on the U280; four units of 8 MiB scratchpad (256 URAM each) need 1024.
        let uram = FPGAUnits.budgetViolations(Array(repeating: FPGAUnit(lanes: 64, scratchpadKiB: 8192), count: 4), platform: p)
        #expect(uram.contains { $0.hasPrefix("uram ") && $0.hasSuffix("> 960") })
        // Ports: 33 units on 32 HBM pseudo-channels; bandwidth: 33 × 64 B × 300 MHz = 633.6 GB/s > 460.
        let many = FPGAUnits.budgetViolations(Array(repeating: FPGAUnit(lanes: 16, scratchpadKiB: 0), count: 33), platform: p)
        #expect(many.contains("ports 33 > 32"))
        #expect(many.contains("bandwidth_gbps 633.6 > 460.0"))
    }

    /// More lanes never cost more cycles on a big convolution (the 64-channel 3×3 one of stage 3,
    /// and the all-3×3 network).
    @Test func moreLanesNoMoreCycles() throws {
        let conv = try Workload(name: "conv", tasks: [
            (Task(name: "c", op: .conv2d(batch: 1, channels: 64, height: 32, width: 32, filters: 64, kernelH: 3, kernelW: 3, stride: 1, padding: 1), dataType: .int8), [.init("input", .stream)]),
        ])
        let lanes = [16, 32, 64, 128, 256, 512, 576, 1024, 2048, 4096, 8192]
        for load in WeightLoad.allCases {
            let cycles = lanes.map { FPGAUnits.cost(of: FPGAUnit(lanes: $0, weightLoad: load), workload: conv, platform: Self.u280).cycles }
            for (a, b) in zip(cycles, cycles.dropFirst()) { #expect(b <= a, "\(load): \(cycles)") }
            #expect(cycles.first! > cycles.last!)
        }
        let net = lanes.map { FPGAUnits.nb201Costs(unit: FPGAUnit(lanes: $0), cells: [Self.special[2]], inputSize: 32, classes: 10, platform: Self.u280).cycles[0] }
        for (a, b) in zip(net, net.dropFirst()) { #expect(b <= a, "\(net)") }
    }

    @Test func optionsDigitsAndSpace() {
        let o = FPGAUnitOptions(lanes: [256, 512, 1024], weightLoads: [.doubleBuffered, .buffered], scratchpadKiB: [0, 1024], wordBits: [512], spill: [.overflow])
        #expect(o.count == 12)
        for i in 0..<o.count {
            #expect(o.index(o.digits(i)) == i)
            #expect(o.unit(index: i) == o.unit(o.digits(i)))
        }
        #expect(o.unit([2, 1, 1, 0, 0]) == FPGAUnit(lanes: 1024, weightLoad: .buffered, scratchpadKiB: 1024))
        #expect(Set(o.units).count == 12)
        let s = FPGAUnitSpace(slots: [o, FPGAUnitOptions(lanes: [64, 128])], platform: Self.u280)
        #expect(s.count == 24)
        #expect(s.design(13) == [o.unit(index: 1), FPGAUnit(lanes: 128)])
        #expect(s.distinctUnits.count == 14)
    }

    @Test func energyAndPower() {
        let p = Self.u280
        // 300 MHz: 3e8 cycles are one second: 18 J static (PlatformCatalog.u280).
        #expect(FPGAUnits.energyPicojoules(dynamic: [1e12, 2e12], latencyCycles: 3e8, platform: p) == 3e12 + 18e12)
        #expect(FPGAUnits.dynamicPowerW(cycles: 3e8, dynamicEnergyPicojoules: 5e12, platform: p) == 5)
        #expect(FPGAUnits.staticPowerW(p) == 18)
    }
}

/// The FPGA as the co-exploration's hardware side.
@Suite struct FPGAHardwareSideTests {
    static let problem: CoExploration = {
        let t = ExactSelectionTests.shared
        let slot = FPGAUnitOptions(lanes: [512, 2048], weightLoads: [.doubleBuffered, .buffered], scratchpadKiB: [1024])
        var k = ASICConstraints()
        k.maxLatencyMs = 0.3
        k.maxEnergyMJ = 5
        return try! CoExploration(tasks: [.nb201(.cifar10, table: t), .nb201(.imagenet16, table: t)],
                                  hardware: FPGAHardware(space: FPGAUnitSpace(slots: [slot, slot], platform: PlatformCatalog.u280)), constraints: k)
    }()

    /// A design's energy is the units' dynamic energies plus the card's static power (U280: the
    /// catalog's figure) over the latency, counted once; latency the busier unit's cycles over the
    /// clock.
    @Test func energyCountsStaticPowerOnceOverTheLatency() {
        let p = Self.problem
        let d = CoExploration.Design(hardware: 0, assignment: [0, 1], cells: [100, 200])
        let o = p.evaluate(d)
        let u = (p.hardware as! FPGAHardware).space.design(0)
        let table = ExactSelectionTests.shared
        // Each task's network as the FPGA model prices it, whole.
        let a = FPGAUnits.cost(of: u[0], workload: try! NB201Network.workload(table.cells[100], inputSize: 32, classes: 10), platform: PlatformCatalog.u280)
        let b = FPGAUnits.cost(of: u[1], workload: try! NB201Network.workload(table.cells[200], inputSize: 16, classes: 120), platform: PlatformCatalog.u280)
        let cycles = max(a.cycles, b.cycles)
        let clock = PlatformCatalog.u280.clockMHz * 1e6
        #expect(abs(o.latencyMs - cycles / clock * 1e3) < 1e-9 * o.latencyMs)
        let joules = (a.dynamicEnergyPicojoules + b.dynamicEnergyPicojoules) * 1e-12 + PlatformCatalog.u280.staticPowerW * cycles / clock
        #expect(abs(o.energyMJ - joules * 1e3) < 1e-9 * joules * 1e3)
    }

    /// The exact method on the FPGA (static energy through λ) equals a brute force over every
    /// hardware candidate, assignment and pair of non-dominated cells.
    @Test func exactEqualsBruteForceOnTheFPGA() throws {
        let p = Self.problem
        let exact = try #require(try p.exact().best)
        let best = CoExplorationTests.bruteForceOverFrontierCells(p)
        #expect(best > 0 && abs(best - exact.weightedAccuracy) < 1e-9, "brute \(best), exact \(exact.weightedAccuracy)")
    }
}
