import Foundation
import IntarsiaASIC
import IntarsiaCore

/// Joint search of one architecture per task and the hardware (NASAIC's problem): the tasks'
/// networks run concurrently, each on one sub-accelerator of the hardware side (a heterogeneous
/// ASIC or an FPGA, `CoHardwareSpace`); latency is the largest per-sub-accelerator sum, energy the
/// sum (plus the static energy over the latency, where the cost model charges it), area the
/// sub-accelerators'. A design must meet the latency, energy, area and power specs and each task's
/// minimum accuracy; the goal is the largest weighted accuracy. Hardware that breaks a spec
/// whatever the networks (PE, bandwidth or resource budgets, area) is pruned before any accuracy
/// is asked for.
public struct CoExploration: Sendable {
    public struct Task: Sendable {
        /// The task's name in reports (a NAS-Bench-201 dataset's name, or the spec's).
        public var name: String
        public var space: any ArchitectureSpace
        public var weight: Double
        public var minimumAccuracy: Double?
        /// Accuracy by architecture number, when known in advance (a table oracle).
        public var table: [Double]?
        /// Where accuracy comes from when not from a table: a user's command. With neither, the
        /// search is hardware-only (every accuracy 0).
        public var oracle: CommandOracle?
        public var dataType: DataType
        /// Measured hardware figures that price this task on every sub-accelerator instead of the
        /// model (`hardware_cost` of the task); nil: the hardware side prices it.
        public var hardwareCost: MeasuredFigures?

        public init(name: String, space: any ArchitectureSpace, weight: Double = 1, minimumAccuracy: Double? = nil, table: [Double]? = nil,
                    oracle: CommandOracle? = nil, dataType: DataType = .int8) {
            self.name = name
            self.space = space
            self.weight = weight
            self.minimumAccuracy = minimumAccuracy
            self.table = table
            self.oracle = oracle
            self.dataType = dataType
        }

        /// A NAS-Bench-201 dataset as a task: its cells, and its accuracies from the table unless
        /// a command oracle is given.
        public static func nb201(_ dataset: NB201Table.Dataset, table: NB201Table, weight: Double = 1, minimumAccuracy: Double? = nil,
                                 oracle: CommandOracle? = nil) -> Task {
            Task(name: dataset.rawValue, space: NB201Space(cells: table.cells, dataset: dataset), weight: weight, minimumAccuracy: minimumAccuracy,
                 table: oracle == nil ? table.accuracy[dataset]! : nil, oracle: oracle)
        }

        /// "table", "command" or "none".
        public var accuracySource: String { oracle != nil ? "command" : table != nil ? "table" : "none" }
    }

    /// A joint design: the hardware (an index into the hardware side), each task's
    /// sub-accelerator and architecture (an index into the task's space).
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
    public let hardware: any CoHardwareSpace
    public let constraints: ASICConstraints
    public var clockMHz: Double { hardware.clockMHz }
    /// Static energy per cycle of latency (picojoules).
    let staticPJPerCycle: Double
    /// The costs by number, for the searches' inner loops: `slot[h][s]` is the index in
    /// `slotCosts` of hardware candidate h's sub-accelerator s, and `slotCosts[i][t]` task t's
    /// cycles and picojoules per architecture on it.
    let slot: [[Int]]
    let slotCosts: [[(cycles: [Double], energy: [Double])]]
    /// `measured[i][t]`: the measured figures that price task t on distinct sub-accelerator i (nil
    /// where a model prices it): their failures and memory are checked per design.
    let measured: [[MeasuredFigures?]]
    /// The memory spec (kB): every task's network on a measured device within it.
    public let memoryLimitKB: Double?
    /// Per hardware candidate: its area and the hardware-only budgets it breaks.
    let hardwareChecks: [HardwareCheck]
    /// Per hardware candidate: whether it breaks a hardware-only budget whatever the networks.
    let hardwareBroken: [Bool]
    /// The hardware candidates recombination searches: those that break no hardware-only budget
    /// and that no other such candidate dominates (each of its sub-accelerators costs no more
    /// cycles and no more energy on every architecture of every task, so any networks that fit the
    /// dominated one fit it too). Every candidate that breaks no budget when a power spec is set
    /// (lower latency can raise power) or the platform has static power (its energy depends on
    /// the latency of the whole design).
    let recombinationHardware: [Int]
    /// How many designs reached the accuracy oracle (every `evaluate` that asked it), for checks
    /// that a resumed run asks nothing twice.
    public let oracleCalls = Counter()

    /// A thread-safe count.
    public final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        public init() {}
        public var value: Int { lock.lock(); defer { lock.unlock() }; return n }
        func increment() { lock.lock(); n += 1; lock.unlock() }
    }

    /// Worker threads for pricing and for the exact method's programs (the results are the same
    /// for any number).
    public let workers: Int

    /// Prices every architecture of every task on every distinct sub-accelerator of the hardware
    /// side (each distinct one once), on `workers` threads.
    public init(tasks: [Task], hardware: any CoHardwareSpace, constraints: ASICConstraints, memoryLimitKB: Double? = nil,
                workers: Int = Parallel.allCores) throws {
        let hardware = TaskMeasuredHardware.wrapping(hardware, tasks: tasks)
        self.tasks = tasks
        self.memoryLimitKB = memoryLimitKB
        self.hardware = hardware
        self.constraints = constraints
        self.workers = max(1, workers)
        self.staticPJPerCycle = hardware.staticPicojoulesPerCycle
        let priced = try Self.price(tasks: tasks, hardware: hardware, workers: self.workers)
        self.slot = priced.slot
        self.slotCosts = priced.slotCosts
        self.measured = Self.measuredFigures(tasks: tasks, hardware: hardware, slot: priced.slot)
        let checks = (0..<hardware.count).map { hardware.check($0, constraints: constraints) }
        self.hardwareChecks = checks
        self.hardwareBroken = checks.map { !$0.violations.isEmpty }
        self.recombinationHardware = Self.undominatedHardware(slot: slot, slotCosts: slotCosts, broken: hardwareBroken,
                                                              keepAll: constraints.maxPowerW != nil || hardware.staticPicojoulesPerCycle > 0, workers: self.workers)
    }

    /// NAS-Bench-201 tasks on a heterogeneous ASIC.
    public init(tasks: [Task], space: ASICSpace, clockMHz: Double, constraints: ASICConstraints, workers: Int = Parallel.allCores) throws {
        try self.init(tasks: tasks, hardware: ASICHardware(space: space, clockMHz: clockMHz), constraints: constraints, workers: workers)
    }

    /// The rows of the dominance table are worked out on `workers` threads.
    static func undominatedHardware(slot: [[Int]], slotCosts: [[(cycles: [Double], energy: [Double])]], broken: [Bool], keepAll: Bool,
                                    workers: Int = 1) -> [Int] {
        let usable = slot.indices.filter { !broken[$0] }
        if keepAll { return usable }
        // dominates[i][j]: sub-accelerator i costs no more than j, architecture by architecture,
        // for every task.
        @Sendable func noMore(_ a: [Double], _ b: [Double]) -> Bool {
            a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in
                for k in 0..<x.count where x[k] > y[k] { return false }
                return true
            } }
        }
        let n = slotCosts.count
        let dominates = Parallel.map(n, workers: workers) { i in (0..<n).map { j in
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

    /// The distinct sub-accelerators of the hardware side, described, in the order their costs
    /// are kept (`unitCosts`).
    public var distinctUnits: [String] {
        var out = [String?](repeating: nil, count: slotCosts.count)
        for h in slot.indices { for (s, u) in slot[h].enumerated() where out[u] == nil { out[u] = hardware.unitDescription(h, slot: s) } }
        return out.map { $0 ?? "" }
    }

    /// Cycles and dynamic picojoules of every architecture of task t on distinct sub-accelerator u.
    public func unitCosts(_ u: Int, task t: Int) -> (cycles: [Double], energy: [Double]) { slotCosts[u][t] }

    /// Violations of the hardware alone (before any network is chosen).
    public func hardwareViolations(_ h: Int) -> [String] { hardwareChecks[h].violations }

    /// Latency in milliseconds and energy in millijoules of per-sub-accelerator cycle loads and a
    /// dynamic energy in picojoules (the static energy over the latency added).
    func figures(loads maxLoad: Double, dynamicPJ: Double) -> (ms: Double, mj: Double) {
        // No static energy adds 0 even to a failed evaluation's infinite latency (not 0 · ∞).
        (maxLoad / (clockMHz * 1e3), (dynamicPJ + (staticPJPerCycle > 0 ? staticPJPerCycle * maxLoad : 0)) * 1e-9)
    }

    public func evaluate(_ d: Design) -> Outcome { evaluate(d, answers: nil) }

    /// A design's outcome; with `answers` (one per task, as a checkpoint recorded them) the
    /// accuracy oracle is not asked and the outcome is the one the original evaluation gave.
    public func evaluate(_ d: Design, answers recorded: [CommandOracle.Answer]?) -> Outcome {
        let check = hardwareChecks[d.hardware]
        let area = check.areaMM2
        var v = check.violations
        let f = figures(d)
        let (ms, mj, power) = (f.latencyMs, f.energyMJ, f.powerW)
        if f.latencyOver { v.append("latency_ms \(String(format: "%.4g", ms)) > \(constraints.maxLatencyMs!)") }
        if f.energyOver { v.append("energy_mj \(String(format: "%.4g", mj)) > \(constraints.maxEnergyMJ!)") }
        if f.powerOver { v.append("power_w \(String(format: "%.4g", power)) > \(constraints.maxPowerW!)") }
        v += measuredViolations(d)
        // Early pruning: a design that breaks a hardware spec is not sent to the accuracy oracle.
        guard v.isEmpty else {
            return Outcome(design: d, latencyMs: ms, energyMJ: mj, areaMM2: area, powerW: power, accuracies: [], weightedAccuracy: 0, violations: v, accuracyAsked: false)
        }
        if recorded == nil { oracleCalls.increment() }
        var acc: [Double] = [], answers: [CommandOracle.Answer] = []
        for (t, task) in tasks.enumerated() {
            let answer: CommandOracle.Answer
            if let r = recorded, t < r.count { answer = r[t] }
            else if let oracle = task.oracle { answer = oracle.accuracy(architecture: task.space.architectureString(d.cells[t]), task: task.name) }
            else if let table = task.table { answer = .accuracy(table[d.cells[t]]) }
            else { answer = .accuracy(0) }
            answers.append(answer)
            switch answer {
            case .accuracy(let a): acc.append(a)
            case .failed(let why):
                // A failed evaluation is recorded with its reason, and the search goes on.
                acc.append(0)
                v.append("oracle[\(task.name)] failed: \(why)")
            case .measured:
                acc.append(0)
                v.append("oracle[\(task.name)] failed: figures instead of an accuracy")
            }
        }
        for (t, task) in tasks.enumerated() {
            if let m = task.minimumAccuracy, acc[t] < m { v.append("accuracy[\(task.name)] \(String(format: "%.2f", acc[t])) < \(m)") }
        }
        let weighted = zip(tasks, acc).reduce(0) { $0 + $1.0.weight * $1.1 }
        return Outcome(design: d, latencyMs: ms, energyMJ: mj, areaMM2: area, powerW: power, accuracies: acc, weightedAccuracy: weighted, violations: v,
                       accuracyAsked: true, answers: answers)
    }

    /// Every assignment of tasks to sub-accelerators.
    public var assignments: [[Int]] {
        let k = hardware.slotCount
        return (0..<Int(pow(Double(k), Double(tasks.count)))).map { i in
            var r = i
            return tasks.map { _ in let a = r % k; r /= k; return a }
        }
    }

    // MARK: Strategies

    public struct NoExact: Error, CustomStringConvertible {
        public var description: String { "the exact method and the successive baseline need table oracles (every accuracy known in advance); a task takes its accuracy from a command or has none" }
    }

    /// NAS first, then hardware (NASAIC's "successive" baseline): each task's most accurate
    /// architecture, then the hardware and assignment with the least latency for those networks
    /// (by the cost model; hardware that breaks a budget other than area is skipped), evaluated
    /// once. With table oracles the most accurate architecture is the table's; with a command
    /// oracle it is the best that a hardware-blind search finds (`blindSearch`, `searchBudget`
    /// oracle queries per task, deterministic for `seed`).
    public func successive(searchBudget: Int = 0, seed: UInt64 = 1) throws -> Outcome {
        if tasks.contains(where: { $0.table == nil && $0.oracle == nil }) { throw NoExact() }
        if searchBudget < 1 && tasks.contains(where: { $0.table == nil }) { throw NoExact() }
        let cells = tasks.indices.map { t -> Int in
            // A cell no sub-accelerator can price (a failed hardware evaluation everywhere) is
            // never the NAS step's pick: the most accurate cell that can run somewhere.
            if let table = tasks[t].table { return table.indices.filter { pricedSomewhere($0, task: t) }.max { table[$0] < table[$1] } ?? 0 }
            return blindSearch(t, budget: searchBudget, seed: seed &+ UInt64(t))
        }
        var best: (design: Design, cycles: Double)?
        for h in 0..<hardware.count where hardwareViolations(h).filter({ !$0.hasPrefix("area") }).isEmpty {
            for a in assignments {
                let d = Design(hardware: h, assignment: a, cells: cells)
                let cycles = figures(d).loads.max() ?? 0
                if best == nil || cycles < best!.cycles { best = (d, cycles) }
            }
        }
        guard let b = best else { throw NoHardware() }
        var o = evaluate(b.design)
        if !o.accuracyAsked {
            // Pruned by a spec: the accuracies the networks were chosen for, for the report.
            o.accuracies = tasks.indices.map { accuracy(of: cells[$0], task: $0) ?? 0 }
        }
        o.weightedAccuracy = zip(tasks, o.accuracies).reduce(0) { $0 + $1.0.weight * $1.1 }
        return o
    }

    /// A task's accuracy for an architecture from its table or its command (nil when the
    /// command fails).
    func accuracy(of architecture: Int, task t: Int) -> Double? {
        if let table = tasks[t].table { return table[architecture] }
        guard let oracle = tasks[t].oracle else { return nil }
        if case .accuracy(let a) = oracle.accuracy(architecture: tasks[t].space.architectureString(architecture), task: tasks[t].name) { return a }
        return nil
    }

    /// NAS without the hardware, as the successive baseline's first step: regularised evolution
    /// on the task's accuracy alone (population 20, sample 5, one choice changed per child),
    /// `budget` distinct architectures asked; the most accurate one found.
    func blindSearch(_ t: Int, budget: Int, seed: UInt64) -> Int {
        var rng = SplitMix64(seed: seed)
        let space = tasks[t].space
        var asked: [Int: Double] = [:]
        var pop: [(Int, Double)] = []
        var best = (architecture: rng.below(space.count), accuracy: -Double.infinity)
        func ask(_ a: Int) -> Double {
            let v = accuracy(of: a, task: t) ?? -1
            asked[a] = v
            if v > best.accuracy { best = (a, v) }
            return v
        }
        var tries = 0
        while asked.count < min(budget, space.count) && tries < 100 * budget {
            tries += 1
            let a: Int
            if pop.count < 20 {
                a = rng.below(space.count)
            } else {
                let parent = (0..<5).map { _ in pop[rng.below(pop.count)] }.max { $0.1 < $1.1 }!
                a = space.mutate(parent.0, &rng)
            }
            guard asked[a] == nil else { continue }
            pop.append((a, ask(a)))
            if pop.count > 20 { pop.removeFirst() }
        }
        return best.architecture
    }

    public struct NoExactUnderPower: Error, CustomStringConvertible {
        public var description: String { "the exact method proves optima under latency and energy specs; this problem has a power spec" }
    }

    public struct NoHardware: Error, CustomStringConvertible {
        public var description: String { "every hardware candidate breaks a resource or PE/bandwidth budget whatever the networks" }
    }
}
