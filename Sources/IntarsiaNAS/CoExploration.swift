import Foundation
import IntarsiaASIC
import IntarsiaCore

/// Joint search of one NAS-Bench-201 cell per task and a heterogeneous ASIC (NASAIC's problem):
/// the tasks' networks run concurrently, each on one sub-accelerator; latency is the largest
/// per-sub-accelerator sum, energy the sum, area the sub-accelerators'. A design must meet the
/// latency, energy, area and power specs and each task's minimum accuracy; the goal is the largest
/// weighted accuracy. Hardware that breaks a spec whatever the networks (PE or bandwidth budget,
/// area) is pruned before any accuracy is asked for.
public struct CoExploration: Sendable {
    public struct Task: Sendable {
        public var dataset: NB201Table.Dataset
        public var weight: Double
        public var minimumAccuracy: Double?
        /// Where accuracy comes from: the NAS-Bench-201 table (nil), or a user's command.
        public var oracle: CommandOracle?
        public init(dataset: NB201Table.Dataset, weight: Double = 1, minimumAccuracy: Double? = nil, oracle: CommandOracle? = nil) {
            self.dataset = dataset
            self.weight = weight
            self.minimumAccuracy = minimumAccuracy
            self.oracle = oracle
        }
    }

    /// A joint design: the hardware (an index into the space), each task's sub-accelerator and
    /// cell (an index into the table).
    public struct Design: Hashable, Sendable {
        public var hardware: Int
        public var assignment: [Int]
        public var cells: [Int]
    }

    public struct Outcome: Sendable {
        public var design: Design
        public var latencyMs: Double
        public var energyMJ: Double
        public var areaMM2: Double
        public var powerW: Double
        public var accuracies: [Double]
        public var weightedAccuracy: Double
        public var violations: [String]
        /// False when the hardware was pruned before the accuracy was looked up.
        public var accuracyAsked: Bool
        public var feasible: Bool { violations.isEmpty }
    }

    public let tasks: [Task]
    public let table: NB201Table
    public let space: ASICSpace
    public let clockMHz: Double
    public let constraints: ASICConstraints
    /// Cycles and picojoules of every cell per (distinct sub-accelerator, dataset).
    let costs: [CostKey: (cycles: [Double], energy: [Double])]

    /// A sub-accelerator (every field, so that no two configurations share costs) and a dataset.
    struct CostKey: Hashable {
        var accelerator: ASICAccelerator
        var dataset: NB201Table.Dataset
    }

    static func key(_ a: ASICAccelerator, _ d: NB201Table.Dataset) -> CostKey { CostKey(accelerator: a, dataset: d) }

    public init(tasks: [Task], table: NB201Table, space: ASICSpace, clockMHz: Double, constraints: ASICConstraints) throws {
        self.tasks = tasks
        self.table = table
        self.space = space
        self.clockMHz = clockMHz
        self.constraints = constraints
        var costs: [CostKey: (cycles: [Double], energy: [Double])] = [:]
        let datasets = Set(tasks.map(\.dataset))
        for h in 0..<space.count {
            for a in space.design(h) {
                for d in datasets where costs[Self.key(a, d)] == nil {
                    let empty = try NB201Network.workload(NB201Cell(edges: Array(repeating: .none, count: 6)), inputSize: d.inputSize, classes: d.classes)
                    let fixed = ASICModel.network(ConvLayer.layers(of: empty), on: a, technology: space.technology)
                    var memo: [SIMD3<Int>: ASICLayerCost] = [:]
                    func layer(_ k: Int, _ c: Int, _ s: Int) -> ASICLayerCost {
                        let id = SIMD3(k, c, s)
                        if let v = memo[id] { return v }
                        let v = ASICModel.cost(ConvLayer(name: "edge", filters: c, channels: c, kernelH: k, kernelW: k, outH: s, outW: s), on: a, technology: space.technology)
                        memo[id] = v
                        return v
                    }
                    costs[Self.key(a, d)] = (NB201Network.costs(of: table.cells, inputSize: d.inputSize, fixed: fixed.cycles) { layer($0, $1, $2).totalCycles },
                                             NB201Network.costs(of: table.cells, inputSize: d.inputSize, fixed: fixed.energyPicojoules) { layer($0, $1, $2).energyPicojoules })
                }
            }
        }
        self.costs = costs
    }

    /// Violations of the hardware alone (before any network is chosen).
    public func hardwareViolations(_ h: Int) -> [String] { hardware(h).violations }

    /// The hardware's area and its violations of the PE, bandwidth and area budgets.
    func hardware(_ h: Int) -> (areaMM2: Double, violations: [String]) {
        let accs = space.design(h)
        var v: [String] = []
        let pes = accs.reduce(0) { $0 + $1.processingElements }
        if pes > space.peBudget { v.append("pe_budget \(pes) > \(space.peBudget)") }
        let bw = accs.reduce(0) { $0 + $1.dramBytesPerCycle }
        if bw > space.bandwidthBudgetBytesPerCycle + 1e-9 { v.append("bandwidth \(bw) > \(space.bandwidthBudgetBytesPerCycle)") }
        let area = accs.reduce(0) { $0 + ASICModel.areaSquareMillimetres($1, technology: space.technology) }
        if let l = constraints.maxAreaMM2, area > l { v.append("area_mm2 \(String(format: "%.4g", area)) > \(l)") }
        return (area, v)
    }

    public func evaluate(_ d: Design) -> Outcome {
        let accs = space.design(d.hardware)
        var (area, v) = hardware(d.hardware)
        var load = [Double](repeating: 0, count: accs.count)
        var energy = 0.0
        for (t, task) in tasks.enumerated() {
            let c = costs[Self.key(accs[d.assignment[t]], task.dataset)]!
            load[d.assignment[t]] += c.cycles[d.cells[t]]
            energy += c.energy[d.cells[t]]
        }
        let ms = (load.max() ?? 0) / (clockMHz * 1e3), mj = energy * 1e-9
        if let l = constraints.maxLatencyMs, ms > l { v.append("latency_ms \(String(format: "%.4g", ms)) > \(l)") }
        if let l = constraints.maxEnergyMJ, mj > l { v.append("energy_mj \(String(format: "%.4g", mj)) > \(l)") }
        let power = ms > 0 ? mj / ms : 0
        if let l = constraints.maxPowerW, power > l { v.append("power_w \(String(format: "%.4g", power)) > \(l)") }
        // Early pruning: a design that breaks a hardware spec is not sent to the accuracy oracle.
        guard v.isEmpty else {
            return Outcome(design: d, latencyMs: ms, energyMJ: mj, areaMM2: area, powerW: power, accuracies: [], weightedAccuracy: 0, violations: v, accuracyAsked: false)
        }
        var acc: [Double] = []
        for (t, task) in tasks.enumerated() {
            guard let oracle = task.oracle else { acc.append(table.accuracy[task.dataset]![d.cells[t]]); continue }
            switch oracle.accuracy(architecture: table.cells[d.cells[t]].description, task: task.dataset.rawValue) {
            case .accuracy(let a): acc.append(a)
            case .failed(let why):
                // A failed evaluation is recorded with its reason, and the search goes on.
                acc.append(0)
                v.append("oracle[\(task.dataset.rawValue)] failed: \(why)")
            }
        }
        for (t, task) in tasks.enumerated() {
            if let m = task.minimumAccuracy, acc[t] < m { v.append("accuracy[\(task.dataset.rawValue)] \(String(format: "%.2f", acc[t])) < \(m)") }
        }
        let weighted = zip(tasks, acc).reduce(0) { $0 + $1.0.weight * $1.1 }
        return Outcome(design: d, latencyMs: ms, energyMJ: mj, areaMM2: area, powerW: power, accuracies: acc, weightedAccuracy: weighted, violations: v, accuracyAsked: true)
    }

    /// Every assignment of tasks to sub-accelerators.
    public var assignments: [[Int]] {
        let k = space.accelerators.count
        return (0..<Int(pow(Double(k), Double(tasks.count)))).map { i in
            var r = i
            return tasks.map { _ in let a = r % k; r /= k; return a }
        }
    }

    // MARK: Strategies

    /// The exact optimum: for every hardware candidate and assignment, each task's cell by the
    /// multiple-choice program (`ExactSelection`), proven optimal per candidate; the best over all.
    public func exact() throws -> (best: Outcome?, candidates: Int, seconds: Double) {
        if tasks.contains(where: { $0.oracle != nil }) { throw NoExact() }
        let start = Date()
        var best: Outcome?
        var n = 0
        // The non-dominated cells of a task depend only on its dataset and its sub-accelerator.
        var frontier: [CostKey: [ExactSelection.Candidate]] = [:]
        func candidates(_ a: ASICAccelerator, _ task: Task) -> [ExactSelection.Candidate] {
            let key = Self.key(a, task.dataset)
            if let f = frontier[key] { return f }
            let c = costs[key]!
            let f = ExactSelection.nonDominated(table.cells.indices.map {
                .init(index: $0, accuracy: table.accuracy[task.dataset]![$0], latency: c.cycles[$0], energy: c.energy[$0])
            })
            frontier[key] = f
            return f
        }
        for h in 0..<space.count where hardwareViolations(h).isEmpty {
            let accs = space.design(h)
            for assignment in assignments {
                n += 1
                let selTasks = tasks.enumerated().map { t, task in
                    ExactSelection.Task(name: task.dataset.rawValue, weight: task.weight, subAccelerator: assignment[t], minimumAccuracy: task.minimumAccuracy,
                                        candidates: candidates(accs[assignment[t]], task))
                }
                let maxCycles = (constraints.maxLatencyMs ?? .infinity) * clockMHz * 1e3
                let maxPJ = (constraints.maxEnergyMJ ?? .infinity) * 1e9
                guard let choice = try? ExactSelection.solve(selTasks, maxLatency: maxCycles, maxEnergy: maxPJ, prePruned: true) else { continue }
                let o = evaluate(Design(hardware: h, assignment: assignment, cells: choice.architectures))
                if o.feasible && (best == nil || o.weightedAccuracy > best!.weightedAccuracy + 1e-9) { best = o }
            }
        }
        return (best, n, Date().timeIntervalSince(start))
    }

    public struct NoExact: Error, CustomStringConvertible {
        public var description: String { "the exact method needs table oracles (every accuracy known in advance); a task uses a command oracle" }
    }

    /// NAS first, then hardware (NASAIC's "successive" baseline): each task's most accurate cell,
    /// then the hardware and assignment with the least latency for those networks.
    public func successive() throws -> Outcome {
        if tasks.contains(where: { $0.oracle != nil }) { throw NoExact() }
        let cells = tasks.map { task in table.accuracy[task.dataset]!.indices.max { table.accuracy[task.dataset]![$0] < table.accuracy[task.dataset]![$1] }! }
        var best: Outcome?
        for h in 0..<space.count where hardwareViolations(h).filter({ !$0.hasPrefix("area") }).isEmpty {
            for a in assignments {
                var o = evaluate(Design(hardware: h, assignment: a, cells: cells))
                if !o.accuracyAsked { o.accuracies = tasks.enumerated().map { table.accuracy[$1.dataset]![cells[$0]] } }
                if best == nil || o.latencyMs < best!.latencyMs { best = o }
            }
        }
        var b = best!
        b.weightedAccuracy = zip(tasks, b.accuracies).reduce(0) { $0 + $1.0.weight * $1.1 }
        return b
    }

    func random(_ rng: inout SplitMix64) -> Design {
        Design(hardware: rng.below(space.count), assignment: tasks.map { _ in rng.below(space.accelerators.count) },
               cells: tasks.map { _ in rng.below(table.cells.count) })
    }

    /// The hardware with one knob of one sub-accelerator changed (the space's mixed-radix digits:
    /// per sub-accelerator dataflow, rows, columns, buffer, bandwidth).
    func neighbour(_ h: Int, _ rng: inout SplitMix64) -> Int {
        let radices = space.accelerators.map { [$0.dataflows.count, $0.rows.count, $0.columns.count, $0.bufferKiB.count, $0.bandwidthBytesPerCycle.count] }
        var rest = h
        var digits = radices.map { r in r.map { n -> Int in let d = rest % n; rest /= n; return d } }
        let a = rng.below(digits.count), k = rng.below(5)
        if radices[a][k] > 1 { digits[a][k] = (digits[a][k] + 1 + rng.below(radices[a][k] - 1)) % radices[a][k] }
        var index = 0, scale = 1
        for (r, d) in zip(radices, digits) { for (n, x) in zip(r, d) { index += x * scale; scale *= n } }
        return index
    }

    /// How far a design overshoots its specs: the summed relative excess over each limit.
    func overshoot(_ o: Outcome) -> Double {
        var x = 0.0
        func over(_ v: Double, _ l: Double?) { if let l, v > l { x += v / l - 1 } }
        over(o.latencyMs, constraints.maxLatencyMs)
        over(o.energyMJ, constraints.maxEnergyMJ)
        over(o.areaMM2, constraints.maxAreaMM2)
        over(o.powerW, constraints.maxPowerW)
        let accs = space.design(o.design.hardware)
        over(Double(accs.reduce(0) { $0 + $1.processingElements }), Double(space.peBudget))
        over(accs.reduce(0) { $0 + $1.dramBytesPerCycle }, space.bandwidthBudgetBytesPerCycle)
        for (t, task) in tasks.enumerated() where !o.accuracies.isEmpty {
            if let m = task.minimumAccuracy, o.accuracies[t] < m { x += (m - o.accuracies[t]) / m }
        }
        return x
    }

    /// Uniform random designs: the floor.
    public func randomSearch(budget: Int, seed: UInt64, visit: (Int, Outcome) -> Void) {
        var rng = SplitMix64(seed: seed)
        for i in 0..<budget { visit(i, evaluate(random(&rng))) }
    }

    /// Regularised evolution (Real et al., AAAI 2019), population 30 and sample 10 (the best of
    /// the settings tried on the bundled spec): a population aged out oldest first; each
    /// step takes the fittest of a random sample and mutates one choice (an edge of one task's
    /// cell, one task's sub-accelerator, or the hardware). Fitness: weighted accuracy, minus a
    /// penalty for each broken spec.
    public func evolution(budget: Int, seed: UInt64, population: Int = 30, sample: Int = 10, visit: (Int, Outcome) -> Void) {
        var rng = SplitMix64(seed: seed)
        let index = Dictionary(uniqueKeysWithValues: table.cells.enumerated().map { ($1, $0) })
        // Infeasible designs rank below every feasible one, by how far they overshoot the specs.
        func fitness(_ o: Outcome) -> Double { o.feasible ? o.weightedAccuracy : -1000 * (1 + overshoot(o)) }
        var pop: [Outcome] = []
        var n = 0
        var seen = Set<Design>()
        var repeats = 0
        while n < min(population, budget) {
            let o = evaluate(random(&rng))
            seen.insert(o.design)
            visit(n, o); n += 1
            pop.append(o)
        }
        while n < budget {
            let parent = (0..<sample).map { _ in pop[rng.below(pop.count)] }.max { fitness($0) < fitness($1) }!
            var child = parent.design
            // Every mutation changes something: a different value for the chosen choice.
            switch rng.below(10) {
            case 0: child.hardware = neighbour(child.hardware, &rng)
            case 1 where space.accelerators.count > 1:
                let t = rng.below(tasks.count)
                child.assignment[t] = (child.assignment[t] + 1 + rng.below(space.accelerators.count - 1)) % space.accelerators.count
            default:
                let t = rng.below(tasks.count)
                var cell = table.cells[child.cells[t]]
                let e = rng.below(6)
                let current = NB201Cell.Operation.allCases.firstIndex(of: cell.edges[e])!
                cell.edges[e] = NB201Cell.Operation.allCases[(current + 1 + rng.below(4)) % 5]
                child.cells[t] = index[cell]!
            }
            // A design already evaluated is not asked again (the budget counts distinct designs);
            // after 50 such repeats in a row the step goes on with the repeat.
            if seen.contains(child) && repeats < 50 { repeats += 1; continue }
            repeats = 0
            seen.insert(child)
            let o = evaluate(child)
            visit(n, o); n += 1
            pop.append(o)
            pop.removeFirst()
        }
    }
}
