import Foundation
import IntarsiaCore
import IntarsiaExplore
import IntarsiaFPGA

/// One FPGA sub-accelerator for the co-exploration: a compute unit of IntarsiaFPGA's sequential
/// template (one unit with all its lanes runs a task's layers one after another; tensors that
/// cross a layer boundary stay in the scratchpad or spill off chip). The knobs are the subset
/// of the sequential template's knobs (`Knob.knobs(of: .sequential)`) worth searching;
/// loops are flattened and pipelined (II=1), the settings every published design uses.
public struct FPGAUnit: Hashable, Sendable, CustomStringConvertible {
    /// MAC lanes (multiply-accumulates per cycle); int8 packs two per DSP48E2.
    public var lanes: Int
    public var weightLoad: WeightLoad
    /// On-chip scratchpad for tensors between layers, KiB (URAM on parts that have it).
    public var scratchpadKiB: Int
    /// Width of the unit's off-chip data port (AXI data width), bits.
    public var wordBits: Int
    public var spill: SpillPolicy

    public init(lanes: Int, weightLoad: WeightLoad = .doubleBuffered, scratchpadKiB: Int = 4096, wordBits: Int = 512,
                spill: SpillPolicy = .overflow) {
        self.lanes = lanes
        self.weightLoad = weightLoad
        self.scratchpadKiB = scratchpadKiB
        self.wordBits = wordBits
        self.spill = spill
    }

    /// The sequential template's design point for this unit.
    public var designPoint: DesignPoint {
        DesignPoint(template: .sequential, lanes: lanes, scratchpadKiB: scratchpadKiB, weightLoad: weightLoad,
                    flattenLoops: true, wordBits: wordBits, spill: spill, pipelined: true)
    }

    public var description: String {
        "sequential(lanes \(lanes), \(weightLoad.rawValue), scratchpad \(scratchpadKiB) KiB, \(wordBits)-bit port, spill \(spill.rawValue))"
    }
}

/// The values each knob of one sub-accelerator slot may take; the slot's units are their
/// product. Index digits are least significant first in the order lanes, weight load,
/// scratchpad, word bits, spill (as `ASICSpace.AcceleratorKnobs` orders its own).
public struct FPGAUnitOptions: Hashable, Sendable {
    public var lanes: [Int]
    public var weightLoads: [WeightLoad]
    public var scratchpadKiB: [Int]
    public var wordBits: [Int]
    public var spill: [SpillPolicy]

    public init(lanes: [Int], weightLoads: [WeightLoad] = [.doubleBuffered], scratchpadKiB: [Int] = [4096],
                wordBits: [Int] = [512], spill: [SpillPolicy] = [.overflow]) {
        self.lanes = lanes
        self.weightLoads = weightLoads
        self.scratchpadKiB = scratchpadKiB
        self.wordBits = wordBits
        self.spill = spill
    }

    /// Values per knob, in digit order.
    public var radices: [Int] { [lanes.count, weightLoads.count, scratchpadKiB.count, wordBits.count, spill.count] }
    public var count: Int { radices.reduce(1, *) }

    /// The knob digits of a unit index (least significant first), by the kernel's one
    /// mixed-radix numbering.
    public func digits(_ index: Int) -> [Int] { IndexedSpace(radices: radices).digits(at: index) }

    /// The unit index of knob digits.
    public func index(_ knobDigits: [Int]) -> Int {
        precondition(knobDigits.count == radices.count, "an FPGA unit has \(radices.count) knob digits")
        return IndexedSpace(radices: radices).encode(knobDigits)
    }

    public func unit(_ knobDigits: [Int]) -> FPGAUnit {
        precondition(knobDigits.count == radices.count, "an FPGA unit has \(radices.count) knob digits")
        return FPGAUnit(lanes: lanes[knobDigits[0]], weightLoad: weightLoads[knobDigits[1]], scratchpadKiB: scratchpadKiB[knobDigits[2]],
                        wordBits: wordBits[knobDigits[3]], spill: spill[knobDigits[4]])
    }

    public func unit(index: Int) -> FPGAUnit { unit(digits(index)) }

    public var units: [FPGAUnit] { (0..<count).map { unit(index: $0) } }
}

/// A heterogeneous FPGA design space: one slot per sub-accelerator on one platform; a design is
/// one unit per slot (index digits: slot 0 least significant), like `ASICSpace`.
public struct FPGAUnitSpace: Hashable, Sendable {
    public var slots: [FPGAUnitOptions]
    public var platform: FPGAPlatform
    public var constraints: Constraints

    public init(slots: [FPGAUnitOptions], platform: FPGAPlatform, constraints: Constraints = Constraints()) {
        self.slots = slots
        self.platform = platform
        self.constraints = constraints
    }

    public var count: Int { slots.reduce(1) { $0 * $1.count } }

    public func design(_ index: Int) -> [FPGAUnit] {
        let unitIndices = IndexedSpace(radices: slots.map(\.count)).digits(at: index)
        return zip(slots, unitIndices).map { $0.unit(index: $1) }
    }

    /// Every unit any slot can hold, once each, in first-seen order (what to price up front).
    public var distinctUnits: [FPGAUnit] {
        var seen = Set<FPGAUnit>(), out: [FPGAUnit] = []
        for s in slots { for u in s.units where seen.insert(u).inserted { out.append(u) } }
        return out
    }
}

/// Costs, resources and budgets of FPGA units, by IntarsiaFPGA's sequential-template model.
public enum FPGAUnits {
    // MARK: Costs

    /// Cycles and dynamic energy (MACs, on-chip accesses, off-chip traffic; no static power) of a
    /// workload on a unit, by the FPGA model's sequential template. The model's total energy
    /// includes `platform.staticPowerW` over the latency; that part is taken back out, so that a
    /// multi-unit design counts the card's static power once (`energyPicojoules`).
    public static func cost(of unit: FPGAUnit, workload: Workload, platform: FPGAPlatform) -> (cycles: Double, dynamicEnergyPicojoules: Double) {
        let e = evaluation(of: unit, workload: workload, platform: platform)
        return (e.cycles, e.dynamicEnergyPicojoules)
    }

    /// A unit's resources (shell excluded), as the FPGA model counts them for one network.
    public struct Resources: Hashable, Sendable {
        public var dsp = 0, bram18k = 0, uram = 0, lut = 0, ff = 0
        public init() {}
        public init(dsp: Int, bram18k: Int, uram: Int, lut: Int, ff: Int) {
            self.dsp = dsp
            self.bram18k = bram18k
            self.uram = uram
            self.lut = lut
            self.ff = ff
        }
        /// Resource by resource, the larger of the two.
        public func union(_ o: Resources) -> Resources {
            Resources(dsp: max(dsp, o.dsp), bram18k: max(bram18k, o.bram18k), uram: max(uram, o.uram), lut: max(lut, o.lut), ff: max(ff, o.ff))
        }
    }

    /// The FPGA model's figures for a workload on a unit: cycles, dynamic energy (the model's
    /// energy less the card's static power over the latency) and the unit's resources for that
    /// network (the model's counts less the shell's).
    public static func evaluation(of unit: FPGAUnit, workload: Workload, platform: FPGAPlatform)
        -> (cycles: Double, dynamicEnergyPicojoules: Double, resources: Resources) {
        let e = FPGAModel(workload: workload, platform: platform).evaluate(unit.designPoint)
        let seconds = e.latencyMs / 1e3
        let sh = platform.shell
        return (e.latencyCycles, e.energyMJ * 1e9 - platform.staticPowerW * seconds * 1e12,
                Resources(dsp: e.dsp - sh.dsp, bram18k: e.bram18k - sh.bram18k, uram: e.uram - sh.uram, lut: e.lut - sh.lut, ff: e.ff - sh.ff))
    }

    /// The cost of every cell of `cells` as the network `NB201Network.workload(cell, inputSize:,
    /// classes:, dataType:)` on a unit, without building workloads: the sequential template's
    /// stages, spills and energy worked out on a compact copy of the macro network (see
    /// `NB201SequentialPricer` for why a per-edge sum cannot be exact). Equal to
    /// `cost(of:workload:platform:)` to rounding (the tests check every cell).
    public static func nb201Costs(unit: FPGAUnit, cells: [NB201Cell], inputSize: Int, classes: Int, platform: FPGAPlatform,
                                  dataType: DataType = .int8, deadOperations: NB201Network.DeadOperations = .execute) -> (cycles: [Double], dynamicEnergyPicojoules: [Double]) {
        var pricer = NB201SequentialPricer(unit: unit, inputSize: inputSize, classes: classes, platform: platform, dataType: dataType)
        pricer.deadOperations = deadOperations
        var cycles = [Double](), energy = [Double]()
        cycles.reserveCapacity(cells.count)
        energy.reserveCapacity(cells.count)
        for cell in cells {
            let r = pricer.price(cell)
            cycles.append(r.cycles)
            energy.append(r.dynamicEnergyPicojoules)
        }
        return (cycles, energy)
    }

    /// BRAM18K and URAM blocks of the largest stage (layer plus the element-wise tasks that
    /// follow it) any of `cells` presents on the unit: what the model charges a network's
    /// sequential design besides the scratchpad, and so what a unit must provision to run any
    /// of them.
    public static func nb201StageBuffers(unit: FPGAUnit, cells: [NB201Cell], inputSize: Int, classes: Int, platform: FPGAPlatform,
                                         dataType: DataType = .int8, deadOperations: NB201Network.DeadOperations = .execute) -> (bram18k: Int, uram: Int) {
        var pricer = NB201SequentialPricer(unit: unit, inputSize: inputSize, classes: classes, platform: platform, dataType: dataType)
        pricer.deadOperations = deadOperations
        var bram = 0.0, uram = 0.0
        for cell in cells {
            let r = pricer.price(cell)
            bram = max(bram, r.stageBram18k)
            uram = max(uram, r.stageUram)
        }
        return (Int(bram), Int(uram))
    }

    // MARK: Resources

    /// Input sizes of the three NAS-Bench-201 datasets (CIFAR at 32, ImageNet16-120 at 16).
    public static let nb201InputSizes = [32, 16]

    /// Operator kinds the NAS-Bench-201 macro network runs on special-function units (ReLU
    /// before each convolution edge, the 3×3 average-pool edge, node sums and the reduction
    /// blocks' adds, the reduction and global pools): a unit carries one SFU of each
    /// (`CompiledWorkload.sfuPerKind`), whichever cell it runs.
    public static let nb201SFUKinds = ["relu", "add", "pool"]

    /// A unit's fabric and memory, shell excluded, fixed whatever cell it runs:
    /// - DSP, LUT and FF: the model's sequential-template formulas (lanes × per-lane cost + one
    ///   unit's control + one SFU per kind of `nb201SFUKinds` at the SFU width the model sets,
    ///   which for the macro network is lanes / 16: its shallowest reduction, a 1×1 convolution
    ///   over 16 channels, is in every network);
    /// - BRAM18K and URAM: the scratchpad (as the model sizes it) plus stage buffers provisioned
    ///   for the largest stage any NAS-Bench-201 cell presents at `inputSizes`
    ///   (`nb201StageBuffers`; the model sizes them per network, so the unit holds the worst).
    ///   The provision prices every cell once per input size (tens of milliseconds) and is
    ///   cached per unit and platform.
    public static func resources(of unit: FPGAUnit, platform: FPGAPlatform, inputSizes: [Int] = nb201InputSizes,
                                 dataType: DataType = .int8) -> (dsp: Int, bram18k: Int, uram: Int, lut: Int, ff: Int) {
        let fabric = fabric(of: unit, dataType: dataType)
        let key = BufferKey(lanes: unit.lanes, weightLoad: unit.weightLoad, platform: platform, inputSizes: inputSizes, dataType: dataType)
        let buffers = bufferCache.value(key) {
            inputSizes.reduce((bram18k: 0, uram: 0)) { m, size in
                let b = nb201StageBuffers(unit: unit, cells: NB201Cell.all, inputSize: size, classes: 10, platform: platform, dataType: dataType)
                return (max(m.bram18k, b.bram18k), max(m.uram, b.uram))
            }
        }
        let scratch = scratchpadBlocks(of: unit, platform: platform)
        return (fabric.dsp, buffers.bram18k + scratch.bram18k, buffers.uram + scratch.uram, fabric.lut, fabric.ff)
    }

    /// DSP, LUT and FF of a unit as `FPGAModel.evaluate` counts them for a sequential design
    /// of a NAS-Bench-201 network using every kind of `nb201SFUKinds`.
    static func fabric(of unit: FPGAUnit, dataType: DataType) -> (dsp: Int, lut: Int, ff: Int) {
        let l = Double(unit.lanes)
        // Largest 1/reduction of the macro network's MAC layers: 1/16 (module comment above).
        let sfuWidth = ModelConstants.sfuWidth(lanes: unit.lanes, outputsPerLane: 1.0 / 16)
        var sfu = (lut: 0.0, ff: 0.0, dsp: 0.0)
        for k in nb201SFUKinds {
            let c = ModelConstants.sfuCostPerLane(k)
            sfu = (sfu.lut + c.lut, sfu.ff + c.ff, sfu.dsp + c.dsp)
        }
        let dspPerLane = PlatformCatalog.u280.dspPerMAC(dataType)  // the same on every part
        let dsp = (l * dspPerLane).rounded(.up) + (sfu.dsp * sfuWidth).rounded(.up)
        let lut = l * ModelConstants.lutPerLane(bits: dataType.bits, float: dataType.isFloat) + ModelConstants.lutPerUnit + sfu.lut * sfuWidth
        let ff = l * ModelConstants.ffPerLane(bits: dataType.bits, float: dataType.isFloat) + ModelConstants.ffPerUnit + sfu.ff * sfuWidth
        return (Int(dsp), Int(lut.rounded(.up)), Int(ff.rounded(.up)))
    }

    /// The scratchpad's blocks as the model sizes them: URAM (32 KiB each) on parts with URAM
    /// beyond the shell's, else BRAM18K (2 KiB each).
    public static func scratchpadBlocks(of unit: FPGAUnit, platform: FPGAPlatform) -> (bram18k: Int, uram: Int) {
        let bytes = Double(unit.scratchpadKiB) * 1024
        guard bytes > 0 else { return (0, 0) }
        if platform.uram > platform.shell.uram { return (0, Int((bytes / FPGAPlatform.uramBytes).rounded(.up))) }
        return (Int((bytes / FPGAPlatform.bram18kBytes).rounded(.up)), 0)
    }

    /// The unit's off-chip port: one AXI master of `wordBits` on the main memory, moving at most
    /// the port width or the whole memory's bandwidth per cycle (the model's
    /// `unitBytesPerCycle(units: 1)`). Spills between layers use every channel of the memory in
    /// the model (`totalBytesPerCycle`), which a multi-unit design shares: not charged here.
    public static func offChipPort(of unit: FPGAUnit, platform: FPGAPlatform) -> (ports: Int, bytesPerCycle: Double, gigabytesPerSecond: Double) {
        let mem = platform.mainMemory
        let clockHz = platform.clockMHz * 1e6
        let channelBytesPerCycle = mem.channelGBps * 1e9 / clockHz
        let bpc = min(Double(unit.wordBits) / 8, Double(mem.channels) * channelBytesPerCycle)
        return (1, bpc, bpc * clockHz / 1e9)
    }

    /// What a set of units on one card breaks: each resource summed over the units plus the
    /// shell against the fraction of the part `constraints` allows (the model's own check,
    /// `FPGAModel.violations`), ports against the main memory's channels, and port bandwidth
    /// against the main memory's. Texts like "dsp 9500 > 9024".
    public static func budgetViolations(_ units: [FPGAUnit], platform: FPGAPlatform, constraints: Constraints = Constraints(),
                                        inputSizes: [Int] = nb201InputSizes) -> [String] {
        budgetViolations(units, resources: units.map { u in
            let r = resources(of: u, platform: platform, inputSizes: inputSizes)
            return Resources(dsp: r.dsp, bram18k: r.bram18k, uram: r.uram, lut: r.lut, ff: r.ff)
        }, platform: platform, constraints: constraints)
    }

    /// A budget a set of units breaks: what they use against what the card allows.
    public struct Excess: Sendable, CustomStringConvertible {
        public var name: String
        public var used: Double
        public var limit: Double
        /// "dsp 9500 > 9024"; bandwidth in GB/s to one decimal.
        public var description: String {
            name == "bandwidth_gbps" ? "\(name) \(String(format: "%.1f", used)) > \(String(format: "%.1f", limit))"
                : "\(name) \(Int(used)) > \(Int(limit.rounded(.down)))"
        }
    }

    /// The same with each unit's resources given (e.g. the most any network of a space needs).
    public static func budgetViolations(_ units: [FPGAUnit], resources: [Resources], platform: FPGAPlatform, constraints: Constraints = Constraints()) -> [String] {
        budgetExcesses(units, resources: resources, platform: platform, constraints: constraints).map(\.description)
    }

    /// The budgets broken, as figures (for ranking designs by how far they overshoot).
    public static func budgetExcesses(_ units: [FPGAUnit], resources: [Resources], platform: FPGAPlatform, constraints: Constraints = Constraints()) -> [Excess] {
        var dsp = platform.shell.dsp, bram = platform.shell.bram18k, uram = platform.shell.uram
        var lut = platform.shell.lut, ff = platform.shell.ff
        var ports = 0, gbps = 0.0
        for (u, r) in zip(units, resources) {
            dsp += r.dsp; bram += r.bram18k; uram += r.uram; lut += r.lut; ff += r.ff
            let p = offChipPort(of: u, platform: platform)
            ports += p.ports
            gbps += p.gigabytesPerSecond
        }
        var out: [Excess] = []
        func check(_ name: String, _ used: Int, _ fraction: Double, _ available: Int) {
            let limit = fraction * Double(available)
            if Double(used) > limit { out.append(Excess(name: name, used: Double(used), limit: limit)) }
        }
        check("dsp", dsp, constraints.dspFraction, platform.dsp)
        check("bram18k", bram, constraints.bramFraction, platform.bram18k)
        check("uram", uram, constraints.uramFraction, platform.uram)
        check("lut", lut, constraints.lutFraction, platform.lut)
        check("ff", ff, constraints.ffFraction, platform.ff)
        let mem = platform.mainMemory
        if ports > mem.channels { out.append(Excess(name: "ports", used: Double(ports), limit: Double(mem.channels))) }
        if gbps > mem.totalGBps + 1e-9 { out.append(Excess(name: "bandwidth_gbps", used: gbps, limit: mem.totalGBps)) }
        return out
    }

    // MARK: Power and energy

    /// The card's static power, watts: `FPGAPlatform.staticPowerW` from PlatformCatalog (an
    /// assumption of the catalog per card, docs/MODEL.md), the figure `FPGAModel.evaluate` adds
    /// over the latency. Counted once per card, whatever the units.
    public static func staticPowerW(_ platform: FPGAPlatform) -> Double { platform.staticPowerW }

    /// Energy of a multi-unit design: the units' dynamic energies plus the card's static power
    /// over the design's latency.
    public static func energyPicojoules(dynamic: [Double], latencyCycles: Double, platform: FPGAPlatform) -> Double {
        dynamic.reduce(0, +) + platform.staticPowerW * latencyCycles / (platform.clockMHz * 1e6) * 1e12
    }

    /// A unit's average dynamic power running a network: its dynamic energy over its cycles.
    public static func dynamicPowerW(cycles: Double, dynamicEnergyPicojoules: Double, platform: FPGAPlatform) -> Double {
        cycles > 0 ? dynamicEnergyPicojoules * 1e-12 / (cycles / (platform.clockMHz * 1e6)) : 0
    }

    // MARK: Cache of stage-buffer provisions

    struct BufferKey: Hashable {
        var lanes: Int
        var weightLoad: WeightLoad
        var platform: FPGAPlatform
        var inputSizes: [Int]
        var dataType: DataType
    }

    final class BufferCache: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [BufferKey: (bram18k: Int, uram: Int)] = [:]
        func value(_ key: BufferKey, _ make: () -> (bram18k: Int, uram: Int)) -> (bram18k: Int, uram: Int) {
            lock.lock()
            if let v = values[key] { lock.unlock(); return v }
            lock.unlock()
            let v = make()
            lock.lock()
            values[key] = v
            lock.unlock()
            return v
        }
    }

    static let bufferCache = BufferCache()
}
