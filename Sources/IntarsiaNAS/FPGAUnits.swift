import Foundation
import IntarsiaCore
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

    /// The knob digits of a unit index (least significant first).
    public func digits(_ index: Int) -> [Int] {
        var i = index
        return radices.map { r in let d = i % r; i /= r; return d }
    }

    /// The unit index of knob digits.
    public func index(_ knobDigits: [Int]) -> Int {
        precondition(knobDigits.count == radices.count, "an FPGA unit has \(radices.count) knob digits")
        return zip(knobDigits, radices).reversed().reduce(0) { $0 * $1.1 + $1.0 }
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
        var i = index
        return slots.map { s in let u = s.unit(index: i % s.count); i /= s.count; return u }
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

/// The sequential template's cost of NAS-Bench-201 networks, worked out on a compact copy of
/// `NB201Network.workload` instead of a `Workload` per cell.
///
/// Why not the ASIC's per-edge sum: the sequential template (FPGAModel, `sequentialSchedule`)
/// runs one stage per MAC layer, and the special-function tasks that follow a layer in the
/// task order (ReLU, average pool, node sum) join its stage, streaming from it. A stage costs
/// the *largest* finish time of its tasks plus a switch; and before each stage the tensors
/// still alive (the cell input until its last reader, nodes read by later edges) spill what
/// exceeds the scratchpad — a `max(0, live − scratchpad)` of bytes summed over tensors. Both
/// are maxima, and which tasks share a stage and which tensors are alive depend on the whole
/// cell (how many edges reach a node, which nodes are dead, the next cell's first ReLUs
/// joining this cell's last stage). So the cost is not a fixed part plus a sum over edges. It is
/// still cheap to compute exactly: the macro network has about 250 tasks and every figure is
/// O(1) per task, with the MAC layers' cycles taken from the FPGA model itself
/// (`FPGAModel.dataflowTaskCycles` with one unit sharing the memory, what a sequential stage
/// of one MAC layer runs) once per unit.
///
/// The formulas mirrored from IntarsiaFPGA (StageModel.cost, StageModel.spill, StageModel.blocks,
/// FPGAModel.evaluate), for the case of this network (one MAC task per stage, only stream edges
/// within a stage, no streamElements limit): a task's start is the latest (start + first chunk)
/// of its in-stage producers, its finish max(start + busy, latest producer finish + one chunk);
/// an SFU task's busy is ceil(outputs × passes / SFU width) + `ModelConstants.sfuDepthCycles`.
struct NB201SequentialPricer {
    /// Figures of one kind of task of the macro network.
    struct Layer {
        var isMAC: Bool
        var busyCycles: Double
        var chunks: Double
        var outputBytes: Double
        var macs: Double
        var offChipWeightBytes: Double
        var externalInputBytes: Double
        var rows: Double
        var reduction: Double
    }

    var layers: [Layer] = []
    // Layer ids.
    var stem = 0, gap = 0, classifier = 0
    var relu: [Int] = [], conv1: [Int] = [], conv3: [Int] = [], avgPool: [Int] = [], sum: [Int] = []
    var reduceA: [Int] = [], reduceB: [Int] = [], reducePool: [Int] = [], reduceShortcut: [Int] = [], reduceAdd: [Int] = []

    // Unit and platform figures, as the model's CycleEnvironment has them.
    let lanes: Double
    let sfuWidth: Double
    let elementBytes: Double
    let weightElementBytes: Double
    let picojoulesPerMAC: Double
    let picojoulesPerOffChipByte: Double
    let stageSwitchCycles: Double
    let scratchpadBytes: Double
    let spillPolicy: SpillPolicy
    let weightLoad: WeightLoad
    let wordBytes: Double
    let totalBytesPerCycle: Double
    let blockingReadCycles: Double
    let burstLatencyCycles: Double
    let uramAvailable: Bool

    // Per task of the network being priced (reused between cells).
    var layerOf: [Int] = []
    var stageOf: [Int] = []
    var lastConsumerStage: [Int] = []
    var preds: [Int] = []  // 3 slots per task
    var predCount: [Int] = []
    var start: [Double] = []
    var finish: [Double] = []
    var taskCount = 0
    var stageCount = 0
    /// Edges from nodes that receive nothing: run (reading the cell input, as the workload
    /// does) or dropped, as `NB201Network.workload`.
    var deadOperations = NB201Network.DeadOperations.execute

    init(unit: FPGAUnit, inputSize: Int, classes: Int, platform: FPGAPlatform, dataType: DataType) {
        let p = unit.designPoint
        lanes = Double(unit.lanes)
        elementBytes = dataType.bytes
        weightElementBytes = dataType.bytes
        picojoulesPerMAC = ModelConstants.picojoulesPerMAC(bits: dataType.bits, float: dataType.isFloat)
        picojoulesPerOffChipByte = ModelConstants.picojoulesPerOffChipByte(platform.mainMemory.kind.rawValue)
        let clockHz = platform.clockMHz * 1e6
        stageSwitchCycles = (ModelConstants.stageSwitchNanoseconds * 1e-9 * clockHz).rounded(.up)
        scratchpadBytes = Double(unit.scratchpadKiB) * 1024
        spillPolicy = unit.spill
        weightLoad = unit.weightLoad
        wordBytes = Double(unit.wordBits) / 8
        let mem = platform.mainMemory
        let channels = Double(mem.channels)
        let channelBytesPerCycle = mem.channelGBps * 1e9 / clockHz
        totalBytesPerCycle = min(channels * channelBytesPerCycle, channels * wordBytes)
        blockingReadCycles = platform.blockingReadCycles
        burstLatencyCycles = platform.burstLatencyCycles
        uramAvailable = platform.uram > platform.shell.uram

        // The macro network's operators, as NB201Network.workload builds them.
        func conv(_ c: Int, _ hw: Int, _ k: Int, _ r: Int, _ stride: Int) -> Operator {
            .conv2d(batch: 1, channels: c, height: hw, width: hw, filters: k, kernelH: r, kernelW: r, stride: stride, padding: r / 2)
        }
        var ops: [(op: Operator, readsInput: Bool)] = []
        func add(_ op: Operator, readsInput: Bool = false) -> Int { ops.append((op, readsInput)); return ops.count - 1 }
        stem = add(conv(3, inputSize, 16, 3, 1), readsInput: true)
        let st = NB201Network.stages(inputSize: inputSize)
        for (s, (c, hw)) in st.enumerated() {
            if s > 0 {
                let cin = st[s - 1].channels, hin = st[s - 1].size
                reduceA.append(add(conv(cin, hin, c, 3, 2)))
                reduceB.append(add(conv(c, hw, c, 3, 1)))
                reducePool.append(add(.pool(channels: cin, height: hin, width: hin, window: 2)))
                reduceShortcut.append(add(conv(cin, hin / 2, c, 1, 1)))
                reduceAdd.append(add(.elementwise(elements: c * (hin / 2) * (hin / 2), kind: "add")))
            }
            let elems = c * hw * hw
            relu.append(add(.activation(elements: elems, kind: "relu")))
            conv1.append(add(conv(c, hw, c, 1, 1)))
            conv3.append(add(conv(c, hw, c, 3, 1)))
            avgPool.append(add(.pool(channels: c, height: hw, width: hw, window: 3, stride: 1, padding: 1)))
            sum.append(add(.elementwise(elements: elems, kind: "add")))
        }
        let last = st[st.count - 1]
        gap = add(.pool(channels: last.channels, height: last.size, width: last.size, window: last.size))
        classifier = add(.matmul(m: 1, k: last.channels, n: classes, weightsOffChip: true))

        // MAC layers' cycles from the FPGA model: a probe workload with every MAC layer, each
        // reading one ReLU (so that only the stem reads the graph input, as in the network).
        var probe: [(Task, [Workload.Input])] = [(Task(name: "src", op: .activation(elements: 1, kind: "relu"), dataType: dataType), [.init("input", .stream)])]
        var probeIndex = [Int](repeating: -1, count: ops.count)
        for (i, o) in ops.enumerated() where o.op.gemmView != nil {
            probeIndex[i] = probe.count
            probe.append((Task(name: "l\(i)", op: o.op, dataType: dataType), [.init(o.readsInput ? "input" : "src", .stream)]))
        }
        let model = FPGAModel(workload: try! Workload(name: "nb201-layers", tasks: probe), platform: platform)
        // The model's SFU width: lanes × the workload's largest 1/reduction over MAC layers.
        var outputsPerLane = 0.0
        for o in ops { if let g = o.op.gemmView { outputsPerLane = max(outputsPerLane, 1 / Double(g.reduction)) } }
        sfuWidth = ModelConstants.sfuWidth(lanes: unit.lanes, outputsPerLane: outputsPerLane)
        for (i, o) in ops.enumerated() {
            let t = Task(name: "t", op: o.op, dataType: dataType)
            let g = o.op.gemmView
            let busy = g != nil ? model.dataflowTaskCycles(probeIndex[i], lanes: unit.lanes, p, sharing: 1)
                : (Double(o.op.outputElements) * Double(o.op.sfuPassesPerOutput) / sfuWidth).rounded(.up) + ModelConstants.sfuDepthCycles
            layers.append(Layer(isMAC: g != nil, busyCycles: busy, chunks: Double(o.op.streamChunks), outputBytes: t.outputBytes,
                                macs: Double(o.op.macs), offChipWeightBytes: t.weightBytes,
                                externalInputBytes: o.readsInput ? Double(inputSize * inputSize * 3) * dataType.bytes : 0,
                                rows: Double(g?.rows ?? 0), reduction: Double(g?.reduction ?? 0)))
        }
        let capacity = 512
        layerOf = [Int](repeating: 0, count: capacity)
        stageOf = [Int](repeating: 0, count: capacity)
        lastConsumerStage = [Int](repeating: -1, count: capacity)
        preds = [Int](repeating: 0, count: 3 * capacity)
        predCount = [Int](repeating: 0, count: capacity)
        start = [Double](repeating: 0, count: capacity)
        finish = [Double](repeating: 0, count: capacity)
    }

    @inline(__always)
    mutating func task(_ layer: Int, _ a: Int = -1, _ b: Int = -1, _ c: Int = -1) -> Int {
        let i = taskCount
        taskCount += 1
        if layers[layer].isMAC { stageCount += 1 }
        let s = stageCount - 1
        layerOf[i] = layer
        stageOf[i] = s
        lastConsumerStage[i] = -1
        var n = 0
        if a >= 0 { link(i, n, a, s); n += 1 }
        if b >= 0 { link(i, n, b, s); n += 1 }
        if c >= 0 { link(i, n, c, s); n += 1 }
        predCount[i] = n
        return i
    }

    @inline(__always)
    mutating func link(_ consumer: Int, _ slot: Int, _ producer: Int, _ stage: Int) {
        preds[3 * consumer + slot] = producer
        if lastConsumerStage[producer] < stage { lastConsumerStage[producer] = stage }
    }

    /// Builds the task list of `NB201Network.workload(cell)`: same tasks, same order, same edges.
    mutating func build(_ cell: NB201Cell) {
        taskCount = 0
        stageCount = 0
        var x = task(stem)
        for s in 0..<3 {
            if s > 0 {
                let a = task(reduceA[s - 1], x)
                let b = task(reduceB[s - 1], a)
                let pool = task(reducePool[s - 1], x)
                let shortcut = task(reduceShortcut[s - 1], pool)
                x = task(reduceAdd[s - 1], b, shortcut)
            }
            for _ in 0..<5 {
                var nodes = (x, -1, -1, -1)
                func node(_ k: Int) -> Int { k == 0 ? nodes.0 : k == 1 ? nodes.1 : k == 2 ? nodes.2 : nodes.3 }
                for to in 1...3 {
                    var incoming = (-1, -1, -1), count = 0
                    for (e, ends) in NB201Cell.edgeEnds.enumerated() where ends.to == to {
                        var from = node(ends.from)
                        if from < 0 && deadOperations == .execute { from = nodes.0 }
                        guard from >= 0 else { continue }
                        var value: Int
                        switch cell.edges[e] {
                        case .none: continue
                        case .skipConnect: value = from
                        case .conv1x1: value = task(conv1[s], task(relu[s], from))
                        case .conv3x3: value = task(conv3[s], task(relu[s], from))
                        case .avgPool3x3: value = task(avgPool[s], from)
                        }
                        switch count { case 0: incoming.0 = value; case 1: incoming.1 = value; default: incoming.2 = value }
                        count += 1
                    }
                    var out = -1
                    if count == 1 { out = incoming.0 }
                    else if count > 1 {
                        // The workload sums the distinct tensors (two skips may carry the same one).
                        let a = incoming.0
                        let b = incoming.1 == a ? -1 : incoming.1
                        let c = count < 3 || incoming.2 == a || incoming.2 == incoming.1 ? -1 : incoming.2
                        out = task(sum[s], a, b, c)
                    }
                    switch to { case 1: nodes.1 = out; case 2: nodes.2 = out; default: nodes.3 = out }
                }
                if nodes.3 >= 0 { x = nodes.3 }
            }
        }
        let g = task(gap, x)
        _ = task(classifier, g)
    }

    @inline(__always)
    func blocks(bytes: Double, parallelBits: Double, bram: inout Double, uram: inout Double) {
        guard bytes >= 1024 else { return }
        if uramAvailable && bytes >= ModelConstants.uramThresholdBytes {
            uram += max((bytes / FPGAPlatform.uramBytes).rounded(.up), (parallelBits / 72).rounded(.up))
        } else {
            bram += max((bytes / FPGAPlatform.bram18kBytes).rounded(.up), (parallelBits / 36).rounded(.up))
        }
    }

    /// Spill cycles and bytes before a stage (StageModel.spill).
    @inline(__always)
    func spill(liveBytes: Double) -> (cycles: Double, bytes: Double) {
        let out = spillPolicy == .always ? liveBytes : max(0, liveBytes - scratchpadBytes)
        guard out > 0 else { return (0, 0) }
        if weightLoad == .blocking {
            let words = (out / wordBytes).rounded(.up)
            return (out / totalBytesPerCycle + words * blockingReadCycles, 2 * out)
        }
        return (2 * out / totalBytesPerCycle + 2 * burstLatencyCycles, 2 * out)
    }

    mutating func price(_ cell: NB201Cell) -> (cycles: Double, dynamicEnergyPicojoules: Double, stageBram18k: Double, stageUram: Double) {
        build(cell)
        let n = taskCount
        // Bytes alive before each stage: tensors made in an earlier stage and read in this one or
        // later (Schedule.init), as differences between stages. Byte counts are integers (or
        // halves), so the running sum is exact.
        var liveDelta = [Double](repeating: 0, count: stageCount + 1)
        for i in 0..<n where lastConsumerStage[i] > stageOf[i] {
            let bytes = layers[layerOf[i]].outputBytes
            liveDelta[stageOf[i] + 1] += bytes
            liveDelta[lastConsumerStage[i] + 1] -= bytes
        }
        var cycles = 0.0, offChip = 0.0, energy = 0.0
        var maxBram = 0.0, maxUram = 0.0
        var live = 0.0
        var i = 0
        for k in 0..<stageCount {
            live += liveDelta[k]
            var sp = (cycles: 0.0, bytes: 0.0)
            if k > 0 { sp = spill(liveBytes: live) }
            var end = 0.0, stageOffChip = 0.0, onChip = 0.0, stageEnergy = 0.0, bram = 0.0, uram = 0.0
            while i < n && stageOf[i] == k {
                let t = layers[layerOf[i]]
                var s = 0.0, streamedFinish = 0.0
                if t.isMAC {
                    // First task of its stage: every input comes from an earlier stage.
                    stageOffChip += t.offChipWeightBytes
                    stageEnergy += t.macs * picojoulesPerMAC
                    if t.rows > 1 && t.offChipWeightBytes > 0 && weightLoad != .blocking {
                        let columnBytes = t.reduction * weightElementBytes * (weightLoad == .doubleBuffered ? 2 : 1)
                        blocks(bytes: columnBytes, parallelBits: min(lanes, t.reduction) * weightElementBytes * 8, bram: &bram, uram: &uram)
                    }
                } else {
                    for j in 0..<predCount[i] {
                        let p = preds[3 * i + j]
                        guard stageOf[p] == k else { continue }  // made in an earlier stage: ready
                        let producer = layers[layerOf[p]]
                        s = max(s, start[p] + producer.busyCycles / producer.chunks)
                        streamedFinish = max(streamedFinish, finish[p])
                        blocks(bytes: 2 * producer.outputBytes / producer.chunks, parallelBits: sfuWidth * elementBytes * 8, bram: &bram, uram: &uram)
                    }
                }
                stageOffChip += t.externalInputBytes
                if lastConsumerStage[i] < 0 { stageOffChip += t.outputBytes }  // a sink: written off chip
                onChip += 2 * t.outputBytes + t.offChipWeightBytes
                let chunk = t.busyCycles / t.chunks
                let f = max(s + t.busyCycles, streamedFinish > 0 ? streamedFinish + chunk : 0)
                start[i] = s
                finish[i] = f
                end = max(end, f)
                i += 1
            }
            stageEnergy += onChip * ModelConstants.picojoulesPerOnChipByte
            cycles += sp.cycles + (end + stageSwitchCycles)
            offChip += sp.bytes + stageOffChip
            energy += stageEnergy
            maxBram = max(maxBram, bram)
            maxUram = max(maxUram, uram)
        }
        return (cycles, energy + offChip * picojoulesPerOffChipByte, maxBram, maxUram)
    }
}
