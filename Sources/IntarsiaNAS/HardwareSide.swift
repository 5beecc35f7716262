import Foundation
import IntarsiaASIC
import IntarsiaCore
import IntarsiaExplore
import IntarsiaFPGA

/// The hardware side of a co-exploration: candidates made of a fixed number of sub-accelerators
/// ("slots"), each chosen from lists of knob values; every task's network runs layer by layer on
/// one slot, slots run concurrently. A candidate is numbered by its knobs in mixed radix: slot 0
/// first, and within a slot knob 0 least significant (`knobRadices`).
public protocol CoHardwareSpace: Sendable {
    /// "asic" or "fpga", for reports.
    var kind: String { get }
    /// Per slot, how many values each of its knobs has.
    var knobRadices: [[Int]] { get }
    var clockMHz: Double { get }
    /// Energy burnt per cycle of the whole design's latency whatever runs (static power), in
    /// picojoules per cycle; 0 when the cost model charges none.
    var staticPicojoulesPerCycle: Double { get }
    /// Equal keys for two (candidate, slot) pairs that cost the same on every network: the
    /// co-exploration prices each distinct sub-accelerator once.
    func unitKey(_ h: Int, slot: Int) -> AnyHashable
    /// The sub-accelerator in a few words ("nvdla 16x32", "sequential 512 lanes").
    func unitDescription(_ h: Int, slot: Int) -> String
    /// Area and the violations of the budgets the hardware breaks whatever the networks. The
    /// co-exploration calls it after it has priced every candidate (`costs`), so a side may size
    /// its sub-accelerators from what pricing found (the FPGA does: `FPGAHardware.Sizing`).
    func check(_ h: Int, constraints: ASICConstraints) -> HardwareCheck
    /// Cycles and picojoules (dynamic) of every architecture of `task`'s space on the
    /// sub-accelerator in `slot` of candidate `h`, by architecture number.
    func costs(_ h: Int, slot: Int, task: CoExploration.Task, networks: TaskNetworks) throws -> (cycles: [Double], energy: [Double])
    /// The measured figures that price `task` there instead of a model (a measured device, or a
    /// task with its own `hardware_cost`); nil where the model prices it (the default).
    func measuredFigures(_ h: Int, slot: Int, task: CoExploration.Task) -> MeasuredFigures?
}

/// What the hardware alone gives: area (0 where it does not apply), the budgets it breaks, and by
/// how much (the summed relative excess, for ranking infeasible designs).
public struct HardwareCheck: Sendable {
    public var areaMM2: Double
    public var violations: [String]
    public var overshoot: Double
    public init(areaMM2: Double, violations: [String], overshoot: Double) {
        self.areaMM2 = areaMM2
        self.violations = violations
        self.overshoot = overshoot
    }
}

extension CoHardwareSpace {
    public var slotCount: Int { knobRadices.count }
    public var count: Int { knobRadices.joined().reduce(1, *) }

    /// The knob values (as indices) of candidate `h`, per slot.
    public func knobs(_ h: Int) -> [[Int]] {
        let radices = knobRadices
        let digits = IndexedSpace(radices: Array(radices.joined())).digits(at: h)
        var from = 0
        return radices.map { r in defer { from += r.count }; return Array(digits[from..<(from + r.count)]) }
    }

    public func candidate(_ knobs: [[Int]]) -> Int { IndexedSpace(radices: Array(knobRadices.joined())).encode(Array(knobs.joined())) }

    public func description(_ h: Int) -> String { (0..<slotCount).map { unitDescription(h, slot: $0) }.joined(separator: " + ") }
}

/// The networks of every task's architectures, built once and shared by every sub-accelerator's
/// pricing: the distinct convolution shapes (what the ASIC model sees) and, when a cost model needs
/// them, the workloads themselves.
public final class TaskNetworks: @unchecked Sendable {
    public let space: any ArchitectureSpace
    public let dataType: DataType
    private let lock = NSLock()
    private var shapeCache: (shapes: [ConvLayer], perArchitecture: [[Int32]])?

    public init(space: any ArchitectureSpace, dataType: DataType = .int8) {
        self.space = space
        self.dataType = dataType
    }

    /// The distinct convolution shapes of the space (names dropped) and each architecture's
    /// layers as indices into them.
    public func convolutionShapes() throws -> (shapes: [ConvLayer], perArchitecture: [[Int32]]) {
        lock.lock()
        defer { lock.unlock() }
        if let c = shapeCache { return c }
        var ids: [ConvLayer: Int32] = [:]
        var shapes: [ConvLayer] = []
        var per: [[Int32]] = []
        per.reserveCapacity(space.count)
        for i in 0..<space.count {
            per.append(try ConvLayer.layers(of: space.workload(i, dataType: dataType), vectorOperators: true).map { l in
                var k = l
                k.name = ""
                if let id = ids[k] { return id }
                ids[k] = Int32(shapes.count)
                shapes.append(k)
                return Int32(shapes.count - 1)
            })
        }
        shapeCache = (shapes, per)
        return (shapes, per)
    }
}

/// A heterogeneous ASIC as the hardware side (the ASIC templates and their cost model).
public struct ASICHardware: CoHardwareSpace {
    public let space: ASICSpace
    public let clockMHz: Double

    public init(space: ASICSpace, clockMHz: Double) {
        self.space = space
        self.clockMHz = clockMHz
    }

    public var kind: String { "asic" }
    public var knobRadices: [[Int]] {
        space.accelerators.map(\.radices)
    }
    public var staticPicojoulesPerCycle: Double { 0 }
    public func unitKey(_ h: Int, slot: Int) -> AnyHashable { AnyHashable(space.design(h)[slot]) }
    public func unitDescription(_ h: Int, slot: Int) -> String {
        let a = space.design(h)[slot]
        return "\(a.dataflow.rawValue) \(a.rows)x\(a.columns) \(Self.number(a.bufferKiB))KiB \(Self.number(a.dramBytesPerCycle))B/cycle"
    }

    static func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }

    public func check(_ h: Int, constraints: ASICConstraints) -> HardwareCheck {
        let accs = space.design(h)
        var v: [String] = []
        var over = 0.0
        let pes = accs.reduce(0) { $0 + $1.processingElements }
        if pes > space.peBudget { v.append("pe_budget \(pes) > \(space.peBudget)"); over += Double(pes) / Double(space.peBudget) - 1 }
        let bw = accs.reduce(0) { $0 + $1.dramBytesPerCycle }
        if bw > space.bandwidthBudgetBytesPerCycle + 1e-9 {
            v.append("bandwidth \(bw) > \(space.bandwidthBudgetBytesPerCycle)")
            over += bw / space.bandwidthBudgetBytesPerCycle - 1
        }
        let area = accs.reduce(0) { $0 + ASICModel.areaSquareMillimetres($1, technology: space.technology) }
        if let l = constraints.maxAreaMM2, area > l { v.append("area_mm2 \(String(format: "%.4g", area)) > \(l)") }
        return HardwareCheck(areaMM2: area, violations: v, overshoot: over)
    }

    public func costs(_ h: Int, slot: Int, task: CoExploration.Task, networks: TaskNetworks) throws -> (cycles: [Double], energy: [Double]) {
        let a = space.design(h)[slot]
        let tech = space.technology
        if let nb = task.space as? NB201Space {
            // Additive over convolutions: the macro network's fixed layers plus five of each
            // active edge's convolution per stage (`NB201Network.costs`, tested equal to the full
            // workload's cost).
            return try NB201Network.asicCosts(of: nb.cells, dataset: nb.dataset, deadOperations: nb.deadOperations, on: a, technology: tech)
        }
        // Any other space: each distinct convolution shape priced once, summed per architecture
        // (the ASIC model is additive over layers: `ASICModel.network`).
        let (shapes, per) = try networks.convolutionShapes()
        let priced = shapes.map { ASICModel.network([$0], on: a, technology: tech) }  // MAC and non-MAC layers
        var cycles = [Double](repeating: 0, count: per.count), energy = cycles
        for (i, layers) in per.enumerated() {
            for id in layers {
                cycles[i] += priced[Int(id)].cycles
                energy[i] += priced[Int(id)].energyPicojoules
            }
        }
        return (cycles, energy)
    }
}

/// An FPGA as the hardware side: one card holding a unit of the sequential template per slot
/// (`FPGAUnitSpace`), priced by the FPGA model (`FPGAUnits`). Energy: the units' dynamic energies
/// plus the card's static power over the design's latency; no area (resources are budgets).
/// A unit is sized for the most demanding network it may run: for NAS-Bench-201 tasks the
/// allowance `FPGAUnits.resources` works out over the whole space; for other spaces the largest
/// of the model's counts over every architecture of every such task (found while pricing them:
/// each architecture's whole workload through `FPGAModel`).
public struct FPGAHardware: CoHardwareSpace {
    public let space: FPGAUnitSpace
    /// What pricing found: which units priced NAS-Bench-201 tasks, and the largest resources of
    /// other spaces' networks per unit (filled by `costs`, read by `check`, which the
    /// co-exploration calls after pricing).
    let sizing = Sizing()

    final class Sizing: @unchecked Sendable {
        private let lock = NSLock()
        private var nb201 = Set<FPGAUnit>()
        private var generic: [FPGAUnit: FPGAUnits.Resources] = [:]
        func noteNB201(_ u: FPGAUnit) { lock.lock(); nb201.insert(u); lock.unlock() }
        func note(_ u: FPGAUnit, _ r: FPGAUnits.Resources) { lock.lock(); generic[u] = generic[u].map { $0.union(r) } ?? r; lock.unlock() }
        func resources(_ u: FPGAUnit, platform: FPGAPlatform) -> FPGAUnits.Resources {
            lock.lock()
            let (n, g) = (nb201.contains(u), generic[u])
            lock.unlock()
            var r = g ?? FPGAUnits.Resources()
            if n || g == nil {
                let a = FPGAUnits.resources(of: u, platform: platform)
                r = r.union(FPGAUnits.Resources(dsp: a.dsp, bram18k: a.bram18k, uram: a.uram, lut: a.lut, ff: a.ff))
            }
            return r
        }
    }

    public init(space: FPGAUnitSpace) { self.space = space }

    public var kind: String { "fpga" }
    public var knobRadices: [[Int]] { space.slots.map(\.radices) }
    public var clockMHz: Double { space.platform.clockMHz }
    /// The card's static power per cycle: W / (cycles per second) = J per cycle.
    public var staticPicojoulesPerCycle: Double { FPGAUnits.staticPowerW(space.platform) / (space.platform.clockMHz * 1e6) * 1e12 }
    public func unitKey(_ h: Int, slot: Int) -> AnyHashable { AnyHashable(space.design(h)[slot]) }
    public func unitDescription(_ h: Int, slot: Int) -> String { space.design(h)[slot].description }

    public func check(_ h: Int, constraints: ASICConstraints) -> HardwareCheck {
        let units = space.design(h)
        let excesses = FPGAUnits.budgetExcesses(units, resources: units.map { sizing.resources($0, platform: space.platform) }, platform: space.platform,
                                                constraints: space.constraints)
        return HardwareCheck(areaMM2: 0, violations: excesses.map(\.description),
                             overshoot: excesses.reduce(0) { $0 + ($1.limit > 0 ? $1.used / $1.limit - 1 : 1) })
    }

    public func costs(_ h: Int, slot: Int, task: CoExploration.Task, networks: TaskNetworks) throws -> (cycles: [Double], energy: [Double]) {
        let unit = space.design(h)[slot]
        if let nb = task.space as? NB201Space {
            sizing.noteNB201(unit)
            let c = FPGAUnits.nb201Costs(unit: unit, cells: nb.cells, inputSize: nb.dataset.inputSize, classes: nb.dataset.classes,
                                         platform: space.platform, dataType: task.dataType, deadOperations: nb.deadOperations)
            return (c.cycles, c.dynamicEnergyPicojoules)
        }
        var cycles = [Double](repeating: 0, count: task.space.count), energy = cycles
        var most = FPGAUnits.Resources()
        for i in 0..<task.space.count {
            let e = FPGAUnits.evaluation(of: unit, workload: try task.space.workload(i, dataType: task.dataType), platform: space.platform)
            cycles[i] = e.cycles
            energy[i] = e.dynamicEnergyPicojoules
            most = most.union(e.resources)
        }
        sizing.note(unit, most)
        return (cycles, energy)
    }
}

extension NB201Network {
    /// Every cell's cycles and dynamic energy on one ASIC sub-accelerator, without building a
    /// workload per cell: the macro network's fixed layers once, plus each executed edge's
    /// layers (a ReLU and a convolution, or a 3×3 average pool) and each node sum five times per
    /// stage (`costs(of:)`). The layers come from `ConvLayer.layers(of:)` on one-task workloads of
    /// those operators, as the full network's would; the ReLUs precede their convolutions
    /// (ReLU–conv–BN) and read a node's tensor, so none is fused. Equal to pricing each cell's
    /// whole workload (the tests check it).
    public static func asicCosts(of cells: [NB201Cell], dataset d: NB201Table.Dataset, deadOperations: DeadOperations, on a: ASICAccelerator,
                                 technology tech: ASICTechnology, dataType: DataType = .int8) throws -> (cycles: [Double], energy: [Double]) {
        let empty = try workload(NB201Cell(edges: Array(repeating: .none, count: 6)), inputSize: d.inputSize, classes: d.classes, dataType: dataType)
        let fixed = ASICModel.network(ConvLayer.layers(of: empty, vectorOperators: true, fuseActivations: false), on: a, technology: tech)
        func price(_ ops: [Operator]) throws -> (cycles: Double, energy: Double) {
            guard !ops.isEmpty else { return (0, 0) }
            let w = try Workload(name: "edge", tasks: ops.enumerated().map { (Task(name: "t\($0.offset)", op: $0.element, dataType: dataType), [.init("input", .stream)]) })
            let r = ASICModel.network(ConvLayer.layers(of: w, vectorOperators: true, fuseActivations: false), on: a, technology: tech)
            return (r.cycles, r.energyPicojoules)
        }
        var edge: [SIMD3<Int>: (cycles: Double, energy: Double)] = [:], sum: [SIMD2<Int>: (cycles: Double, energy: Double)] = [:]
        let ops = NB201Cell.Operation.allCases
        for (c, s) in stages(inputSize: d.inputSize) {
            for (k, op) in ops.enumerated() {
                let e = c * s * s
                func conv(_ r: Int) -> Operator { .conv2d(batch: 1, channels: c, height: s, width: s, filters: c, kernelH: r, kernelW: r, stride: 1, padding: r / 2) }
                switch op {
                case .none, .skipConnect: edge[SIMD3(k, c, s)] = (0, 0)
                case .conv1x1: edge[SIMD3(k, c, s)] = try price([.activation(elements: e, kind: "relu"), conv(1)])
                case .conv3x3: edge[SIMD3(k, c, s)] = try price([.activation(elements: e, kind: "relu"), conv(3)])
                case .avgPool3x3: edge[SIMD3(k, c, s)] = try price([.pool(channels: c, height: s, width: s, window: 3, stride: 1, padding: 1, kind: .average)])
                }
            }
            sum[SIMD2(c, s)] = try price([.elementwise(elements: c * s * s, kind: "add")])
        }
        func index(_ op: NB201Cell.Operation) -> Int { ops.firstIndex(of: op)! }
        let cycles = costs(of: cells, inputSize: d.inputSize, fixed: fixed.cycles, deadOperations: deadOperations,
                           edgeCost: { edge[SIMD3(index($0), $1, $2)]!.cycles }, sumCost: { sum[SIMD2($0, $1)]!.cycles })
        let energy = costs(of: cells, inputSize: d.inputSize, fixed: fixed.energyPicojoules, deadOperations: deadOperations,
                           edgeCost: { edge[SIMD3(index($0), $1, $2)]!.energy }, sumCost: { sum[SIMD2($0, $1)]!.energy })
        return (cycles, energy)
    }
}
