import Foundation
import IntarsiaCore
import IntarsiaExplore

/// An ASIC design space: a fixed number of sub-accelerators, each with lists of candidate
/// knob values, on a technology node with PE and off-chip bandwidth budgets; several networks
/// (one per task) that run concurrently, each on one sub-accelerator.
public struct ASICSpace: Sendable {
    public struct AcceleratorKnobs: Sendable {
        public var dataflows: [ASICDataflow]
        public var rows: [Int]
        public var columns: [Int]
        public var bufferKiB: [Double]
        public var bandwidthBytesPerCycle: [Double]
        /// How off-chip transfers meet compute (one style per sub-accelerator).
        public var memory: ASICMemory
        /// NoC bandwidth and per-PE L1 candidates, the vector unit and SCALE-Sim's mode.
        public var nocElementsPerCycle: [Double] = [.infinity]
        public var nocInputElementsPerCycle: Double?
        public var nocWeightElementsPerCycle: Double?
        public var nocOutputElementsPerCycle: Double?
        public var l1Bytes: [Double] = [512]
        public var vectorLanes = 0
        public var scaleSimBandwidth = ScaleSimBandwidth.user
        public init(dataflows: [ASICDataflow], rows: [Int], columns: [Int], bufferKiB: [Double], bandwidthBytesPerCycle: [Double],
                    memory: ASICMemory = .doubleBuffered) {
            self.dataflows = dataflows
            self.rows = rows
            self.columns = columns
            self.bufferKiB = bufferKiB
            self.bandwidthBytesPerCycle = bandwidthBytesPerCycle
            self.memory = memory
        }
        /// Candidates per knob, in the order `accelerator` reads the digits.
        public var radices: [Int] { [dataflows.count, rows.count, columns.count, bufferKiB.count, bandwidthBytesPerCycle.count, nocElementsPerCycle.count, l1Bytes.count] }
        /// The sub-accelerator whose knob-value indices are `digits` (one per radix).
        func accelerator(_ digits: ArraySlice<Int>) -> ASICAccelerator {
            var i = digits.startIndex
            func pick<T>(_ xs: [T]) -> T { defer { i += 1 }; return xs[digits[i]] }
            let d = pick(dataflows), r = pick(rows), c = pick(columns), b = pick(bufferKiB), bw = pick(bandwidthBytesPerCycle)
            var a = ASICAccelerator(dataflow: d, rows: r, columns: c, bufferKiB: b, dramBytesPerCycle: bw, memory: memory)
            a.nocElementsPerCycle = pick(nocElementsPerCycle)
            a.nocInputElementsPerCycle = nocInputElementsPerCycle
            a.nocWeightElementsPerCycle = nocWeightElementsPerCycle
            a.nocOutputElementsPerCycle = nocOutputElementsPerCycle
            a.l1Bytes = pick(l1Bytes)
            a.vectorLanes = vectorLanes
            a.scaleSimBandwidth = scaleSimBandwidth
            return a
        }
    }

    public var accelerators: [AcceleratorKnobs]
    public var networks: [(name: String, layers: [ConvLayer])]
    public var technology: ASICTechnology
    public var peBudget: Int
    public var bandwidthBudgetBytesPerCycle: Double

    public init(accelerators: [AcceleratorKnobs], networks: [(name: String, layers: [ConvLayer])], technology: ASICTechnology,
                peBudget: Int, bandwidthBudgetBytesPerCycle: Double) {
        self.accelerators = accelerators
        self.networks = networks
        self.technology = technology
        self.peBudget = peBudget
        self.bandwidthBudgetBytesPerCycle = bandwidthBudgetBytesPerCycle
    }

    /// The space's indexing: one part whose digits are each sub-accelerator's knobs in turn
    /// (sub-accelerator 0's knobs least significant).
    public var indexed: IndexedSpace { IndexedSpace(radices: accelerators.flatMap(\.radices)) }

    public var count: Int { indexed.count }

    public func design(_ index: Int) -> [ASICAccelerator] {
        let digits = indexed.digits(at: index)
        var from = 0
        return accelerators.map { k in
            defer { from += k.radices.count }
            return k.accelerator(digits[from..<(from + k.radices.count)])
        }
    }
}

/// Limits an ASIC design must meet.
public struct ASICConstraints: Sendable {
    public var maxLatencyMs: Double?
    public var maxEnergyMJ: Double?
    public var maxAreaMM2: Double?
    public var maxPowerW: Double?
    public init() {}
}

/// One evaluated ASIC design.
public struct ASICDesign: Sendable {
    public var id: Int
    public var accelerators: [ASICAccelerator]
    /// Sub-accelerator of each network.
    public var assignment: [Int]
    public var latencyCycles: Double
    public var latencyMs: Double
    public var energyMJ: Double
    public var areaMM2: Double
    public var powerW: Double
    public var utilization: Double
    public var violations: [String]
    public var feasible: Bool { violations.isEmpty }
}

public enum ASICExplorer {
    /// Evaluates one design: every network on every sub-accelerator, the best assignment
    /// (exhaustive over assignments for up to 4^6 of them, the GLPK mapper beyond), then the
    /// budgets and constraints. `layerWorkers` threads walk the layers of SCALE-Sim's memory
    /// style (`ASICModel.network(_:on:technology:workers:)`); the result is the same for any.
    public static func evaluate(_ space: ASICSpace, _ accs: [ASICAccelerator], id: Int, clockMHz: Double, constraints: ASICConstraints,
                                layerWorkers: Int = 1) -> ASICDesign {
        let t = space.technology
        let costs = space.networks.map { n in accs.map { ASICModel.network(n.layers, on: $0, technology: t, workers: layerWorkers) } }
        return evaluate(space, accs, id: id, clockMHz: clockMHz, constraints: constraints, costs: costs)
    }

    /// `evaluate` from each network's cycles and picojoules on each sub-accelerator
    /// (`costs[network][sub-accelerator]`).
    static func evaluate(_ space: ASICSpace, _ accs: [ASICAccelerator], id: Int, clockMHz: Double, constraints: ASICConstraints,
                         costs: [[(cycles: Double, energyPicojoules: Double)]]) -> ASICDesign {
        let t = space.technology
        let nets = space.networks.count, k = accs.count
        var best: (latency: Double, energy: Double, assignment: [Int])?
        var mappingFailure: String?
        if Double(k).exponent(n: nets) <= 4096 {
            var assignment = [Int](repeating: 0, count: nets)
            func visit(_ j: Int) {
                if j == nets {
                    var load = [Double](repeating: 0, count: k)
                    var energy = 0.0
                    for (n, a) in assignment.enumerated() { load[a] += costs[n][a].cycles; energy += costs[n][a].energyPicojoules }
                    let l = load.max() ?? 0
                    if best == nil || l < best!.latency - 1e-9 || (abs(l - best!.latency) <= 1e-9 && energy < best!.energy) {
                        best = (l, energy, assignment)
                    }
                    return
                }
                for a in 0..<k { assignment[j] = a; visit(j + 1) }
            }
            visit(0)
        } else {
            let h = HeterogeneousASIC(candidates: accs.map { [$0] }, technology: t, peBudget: Int.max / 4, bandwidthBudgetBytesPerCycle: .infinity)
            do {
                let r = try h.map(space.networks)
                best = (r.latencyCycles, r.energyPicojoules, r.assignment)
            } catch {
                mappingFailure = "mapping failed: \(error)"
            }
        }
        let b = best ?? (.infinity, .infinity, [Int](repeating: 0, count: nets))
        let area = accs.reduce(0) { $0 + ASICModel.areaSquareMillimetres($1, technology: t) }
        let ms = b.latency / (clockMHz * 1e3)
        let mj = b.energy * 1e-9
        // A design whose networks could not be mapped is infeasible and says why (its figures
        // are infinite), never a silent row.
        var v: [String] = mappingFailure.map { [$0] } ?? []
        let pes = accs.reduce(0) { $0 + $1.processingElements }
        let bw = accs.reduce(0) { $0 + $1.dramBytesPerCycle }
        if pes > space.peBudget { v.append("pe_budget \(pes) > \(space.peBudget)") }
        if bw > space.bandwidthBudgetBytesPerCycle + 1e-9 { v.append("bandwidth \(bw) > \(space.bandwidthBudgetBytesPerCycle) bytes/cycle") }
        if let l = constraints.maxLatencyMs, ms > l { v.append("latency_ms \(String(format: "%.4g", ms)) > \(l)") }
        if let l = constraints.maxEnergyMJ, mj > l { v.append("energy_mj \(String(format: "%.4g", mj)) > \(l)") }
        if let l = constraints.maxAreaMM2, area > l { v.append("area_mm2 \(String(format: "%.4g", area)) > \(l)") }
        let power = ms > 0 ? mj / ms : 0
        if let l = constraints.maxPowerW, power > l { v.append("power_w \(String(format: "%.4g", power)) > \(l)") }
        let macs = space.networks.reduce(0.0) { $0 + Double($1.layers.reduce(0) { $0 + $1.macs }) }
        return ASICDesign(id: id, accelerators: accs, assignment: b.assignment, latencyCycles: b.latency, latencyMs: ms, energyMJ: mj,
                          areaMM2: area, powerW: power, utilization: b.latency > 0 ? macs / (b.latency * Double(max(pes, 1))) : 0, violations: v)
    }

    /// Every design of a small space with its layers shared out: each (design, network,
    /// sub-accelerator, layer) is one item for the workers, and each network's figures are its
    /// layers' summed in layer order (as `ASICModel.network` sums them).
    static func evaluateByLayers(_ space: ASICSpace, clockMHz: Double, constraints: ASICConstraints, workers: Int) -> [ASICDesign] {
        let t = space.technology
        let designs = (0..<space.count).map(space.design)
        var items: [(design: Int, network: Int, accelerator: Int, layer: Int)] = []
        for (d, accs) in designs.enumerated() {
            for (n, net) in space.networks.enumerated() {
                for a in accs.indices { for l in net.layers.indices { items.append((d, n, a, l)) } }
            }
        }
        let work = items
        // SCALE-Sim's walk takes time in proportion to a layer's MACs (its operand matrices are
        // walked once per fold of the other), and ResNet-18's MAC layers range from 0.5 to 118
        // million MACs: the costliest are handed out first, each to the next free worker.
        let macs = work.map { space.networks[$0.network].layers[$0.layer].macs }
        let order = work.indices.sorted { (-macs[$0], $0) < (-macs[$1], $1) }
        let layerCosts = Parallel.map(work.count, workers: workers, claiming: order) { i in
            let w = work[i]
            return ASICModel.cost(space.networks[w.network].layers[w.layer], on: designs[w.design][w.accelerator], technology: t)
        }
        var next = 0
        return designs.enumerated().map { d, accs in
            let costs = space.networks.map { net in
                accs.map { _ -> (cycles: Double, energyPicojoules: Double) in
                    var cycles = 0.0, energy = 0.0
                    for c in layerCosts[next..<(next + net.layers.count)] {
                        cycles += c.totalCycles
                        energy += c.energyPicojoules
                    }
                    next += net.layers.count
                    return (cycles, energy)
                }
            }
            return evaluate(space, accs, id: d, clockMHz: clockMHz, constraints: constraints, costs: costs)
        }
    }

    /// Every design of the space, and the ids of the feasible non-dominated ones (the kernel's
    /// `ParetoArchive`). Designs are evaluated on `workers` threads and come back in id order, so
    /// the result does not depend on `workers`. A space of fewer designs than eight per worker
    /// shares out each design's layers instead (what SCALE-Sim's memory style spends its time on).
    public static func explore(_ space: ASICSpace, clockMHz: Double, constraints: ASICConstraints, objectives: [ASICObjective],
                               workers: Int = Parallel.allCores) -> (designs: [ASICDesign], front: Set<Int>) {
        let designs = space.count >= 8 * workers
            ? Parallel.map(space.count, workers: workers) { evaluate(space, space.design($0), id: $0, clockMHz: clockMHz, constraints: constraints) }
            : evaluateByLayers(space, clockMHz: clockMHz, constraints: constraints, workers: workers)
        return (designs, front(designs, objectives))
    }

    /// Designs a kernel strategy asks for (any from `StrategyRegistry`, over the space's flat
    /// indices), each evaluated once, in the order asked, and the ids of the front among them.
    public static func explore(_ space: ASICSpace, clockMHz: Double, constraints: ASICConstraints, objectives: [ASICObjective],
                               strategy: inout some ExplorationStrategy<Int>, workers: Int = Parallel.allCores) -> (designs: [ASICDesign], front: Set<Int>) {
        var designs: [ASICDesign] = []
        Explorer.run(&strategy, workers: workers, evaluate: { i in
            ScoredASICDesign(design: evaluate(space, space.design(i), id: i, clockMHz: clockMHz, constraints: constraints), objectives: objectives)
        }, sink: { _, scored in designs += scored.map(\.design) })
        return (designs, front(designs, objectives))
    }

    /// The ids of the feasible non-dominated designs, the first of equal ones kept.
    public static func front(_ designs: [ASICDesign], _ objectives: [ASICObjective]) -> Set<Int> {
        var archive = ParetoArchive<ScoredASICDesign>()
        for d in designs { archive.offer(ScoredASICDesign(design: d, objectives: objectives)) }
        return Set(archive.members.map(\.design.id))
    }
}

/// An ASIC figure to minimise.
public enum ASICObjective: String, Hashable, Sendable, CaseIterable {
    case latencyMs = "latency_ms"
    case latencyCycles = "latency_cycles"
    case energyMJ = "energy_mj"
    case areaMM2 = "area_mm2"
    case powerW = "power_w"

    public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")

    public func value(_ d: ASICDesign) -> Double {
        switch self {
        case .latencyMs: return d.latencyMs
        case .latencyCycles: return d.latencyCycles
        case .energyMJ: return d.energyMJ
        case .areaMM2: return d.areaMM2
        case .powerW: return d.powerW
        }
    }
}

/// An ASIC design as the exploration kernel sees it; the violation is the number of broken
/// budgets and limits.
public struct ScoredASICDesign: Scored, Sendable {
    public var design: ASICDesign
    public var objectives: [ASICObjective]
    public init(design: ASICDesign, objectives: [ASICObjective]) {
        self.design = design
        self.objectives = objectives
    }
    public var feasible: Bool { design.feasible }
    public var violation: Double { Double(design.violations.count) }
    public var objectiveCount: Int { objectives.count }
    public func objective(_ k: Int) -> Double { objectives[k].value(design) }
}

extension Double {
    func exponent(n: Int) -> Double { pow(self, Double(n)) }
}
