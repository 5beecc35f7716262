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
        public init(hardware: Int, assignment: [Int], cells: [Int]) {
            self.hardware = hardware
            self.assignment = assignment
            self.cells = cells
        }
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
        /// What the oracle answered per task (empty when it was not asked): what a checkpoint
        /// keeps, so that a resumed run need not ask again.
        public var answers: [CommandOracle.Answer] = []
        public var feasible: Bool { violations.isEmpty }
    }

    public let tasks: [Task]
    public let table: NB201Table
    public let space: ASICSpace
    public let clockMHz: Double
    public let constraints: ASICConstraints
    /// Cycles and picojoules of every cell per (distinct sub-accelerator, dataset).
    let costs: [CostKey: (cycles: [Double], energy: [Double])]
    /// The same costs by number, for the searches' inner loops: `slot[h][s]` is the index in
    /// `slotCosts` of hardware candidate h's sub-accelerator s, and `slotCosts[i][t]` task t's
    /// cycles and picojoules per cell on it.
    let slot: [[Int]]
    let slotCosts: [[(cycles: [Double], energy: [Double])]]
    /// Per hardware candidate: whether it breaks a hardware-only budget (PE, bandwidth, area)
    /// whatever the networks.
    let hardwareBroken: [Bool]
    /// The hardware candidates recombination searches: those that break no hardware-only budget
    /// and that no other such candidate dominates (each of its sub-accelerators costs no more
    /// cycles and no more energy on every cell of every task, so any networks that fit the
    /// dominated one fit it too). Every candidate that breaks no budget when a power spec is set
    /// (lower latency can raise power).
    let recombinationHardware: [Int]
    /// How many designs reached the accuracy oracle (every `evaluate` that asked it), for checks
    /// that a resumed run asks nothing twice.
    public let oracleCalls = Counter()
    let cellCodes: CellCodes

    /// A thread-safe count.
    public final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        public init() {}
        public var value: Int { lock.lock(); defer { lock.unlock() }; return n }
        func increment() { lock.lock(); n += 1; lock.unlock() }
    }

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
        var distinct: [ASICAccelerator: Int] = [:]
        var slotCosts: [[(cycles: [Double], energy: [Double])]] = []
        var slot: [[Int]] = []
        var broken: [Bool] = []
        for h in 0..<space.count {
            slot.append(space.design(h).map { a in
                if let i = distinct[a] { return i }
                distinct[a] = slotCosts.count
                slotCosts.append(tasks.map { costs[Self.key(a, $0.dataset)]! })
                return slotCosts.count - 1
            })
        }
        self.slot = slot
        self.slotCosts = slotCosts
        for h in 0..<space.count { broken.append(!Self.hardware(h, space: space, constraints: constraints).violations.isEmpty) }
        self.hardwareBroken = broken
        self.cellCodes = CellCodes(table.cells)
        self.recombinationHardware = Self.undominatedHardware(slot: slot, slotCosts: slotCosts, broken: broken, power: constraints.maxPowerW != nil)
    }

    static func undominatedHardware(slot: [[Int]], slotCosts: [[(cycles: [Double], energy: [Double])]], broken: [Bool], power: Bool) -> [Int] {
        let usable = slot.indices.filter { !broken[$0] }
        if power { return usable }
        // dominates[i][j]: sub-accelerator i costs no more than j, cell by cell, for every task.
        func noMore(_ a: [Double], _ b: [Double]) -> Bool {
            a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in
                for k in 0..<x.count where x[k] > y[k] { return false }
                return true
            } }
        }
        let n = slotCosts.count
        let dominates = (0..<n).map { i in (0..<n).map { j in
            i == j || zip(slotCosts[i], slotCosts[j]).allSatisfy { noMore($0.cycles, $1.cycles) && noMore($0.energy, $1.energy) }
        } }
        return usable.filter { h in
            !usable.contains { g in
                guard g != h, zip(slot[g], slot[h]).allSatisfy({ dominates[$0][$1] }) else { return false }
                // Mutually dominating (equal costs): the first one is kept.
                return !zip(slot[h], slot[g]).allSatisfy({ dominates[$0][$1] }) || g < h
            }
        }
    }

    /// Violations of the hardware alone (before any network is chosen).
    public func hardwareViolations(_ h: Int) -> [String] { hardware(h).violations }

    /// The hardware's area and its violations of the PE, bandwidth and area budgets.
    func hardware(_ h: Int) -> (areaMM2: Double, violations: [String]) { Self.hardware(h, space: space, constraints: constraints) }

    static func hardware(_ h: Int, space: ASICSpace, constraints: ASICConstraints) -> (areaMM2: Double, violations: [String]) {
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

    public func evaluate(_ d: Design) -> Outcome { evaluate(d, answers: nil) }

    /// A design's outcome; with `answers` (one per task, as a checkpoint recorded them) the
    /// accuracy oracle is not asked and the outcome is the one the original evaluation gave.
    public func evaluate(_ d: Design, answers recorded: [CommandOracle.Answer]?) -> Outcome {
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
        if recorded == nil { oracleCalls.increment() }
        var acc: [Double] = [], answers: [CommandOracle.Answer] = []
        for (t, task) in tasks.enumerated() {
            let answer: CommandOracle.Answer
            if let r = recorded, t < r.count { answer = r[t] }
            else if let oracle = task.oracle { answer = oracle.accuracy(architecture: table.cells[d.cells[t]].description, task: task.dataset.rawValue) }
            else { answer = .accuracy(table.accuracy[task.dataset]![d.cells[t]]) }
            answers.append(answer)
            switch answer {
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
        return Outcome(design: d, latencyMs: ms, energyMJ: mj, areaMM2: area, powerW: power, accuracies: acc, weightedAccuracy: weighted, violations: v,
                       accuracyAsked: true, answers: answers)
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
}
