import Foundation
import IntarsiaCore

/// What the sampling strategies (evolution, the controller) share: cost-model-only checks and
/// repair, what the oracle has answered per task, recombination of answered cells by the cost
/// model, and a local search over one-edge neighbours. None of them asks the accuracy oracle; only
/// `Progress.evaluate` does, through the run's evaluator, and every design it is given counts as
/// one evaluation.
extension CoExploration {
    /// Hands a design to the run (which evaluates it, or replays it from a checkpoint, records
    /// it, and may stop the run by throwing).
    public typealias Evaluator = (Design) throws -> Outcome

    /// What a strategy did besides its evaluations.
    public struct SearchStats: Sendable, Equatable {
        /// Designs priced by the cost model alone (repair and recombination), never sent to the
        /// accuracy oracle unless they were then evaluated.
        public var costModelChecks = 0
        /// Evaluations that were a recombination of known cells or a local-search probe.
        public var recombinations = 0
        public var probes = 0
        /// The controller's samples, and those that repeated a design already evaluated.
        public var samples = 0
        public var duplicates = 0
        public init() {}
    }

    func random(_ rng: inout SplitMix64) -> Design {
        Design(hardware: rng.below(hardware.count), assignment: tasks.map { _ in rng.below(hardware.slotCount) },
               cells: tasks.map { rng.below($0.space.count) })
    }

    /// The hardware with one knob of one sub-accelerator changed (always to a different value
    /// when the knob has several).
    func neighbour(_ h: Int, _ rng: inout SplitMix64) -> Int {
        let radices = hardware.knobRadices
        var digits = hardware.knobs(h)
        let a = rng.below(digits.count), k = rng.below(radices[a].count)
        if radices[a][k] > 1 { digits[a][k] = (digits[a][k] + 1 + rng.below(radices[a][k] - 1)) % radices[a][k] }
        return hardware.candidate(digits)
    }

    /// One change to a design: a choice of one task's architecture (80%), one knob of one sub-accelerator
    /// (10%) or one task's sub-accelerator (10%); always a different value.
    func mutate(_ d: Design, _ rng: inout SplitMix64) -> Design {
        var child = d
        switch rng.below(10) {
        case 0: child.hardware = neighbour(child.hardware, &rng)
        case 1 where hardware.slotCount > 1:
            let t = rng.below(tasks.count)
            child.assignment[t] = (child.assignment[t] + 1 + rng.below(hardware.slotCount - 1)) % hardware.slotCount
        default:
            let t = rng.below(tasks.count)
            child.cells[t] = tasks[t].space.mutate(child.cells[t], &rng)
        }
        return child
    }

    /// How far a design overshoots its specs: the summed relative excess over each limit.
    func overshoot(_ o: Outcome) -> Double {
        var x = 0.0
        func over(_ v: Double, _ l: Double?) { if let l, v > l { x += v / l - 1 } }
        over(o.latencyMs, constraints.maxLatencyMs)
        over(o.energyMJ, constraints.maxEnergyMJ)
        over(o.areaMM2, constraints.maxAreaMM2)
        over(o.powerW, constraints.maxPowerW)
        x += hardwareChecks[o.design.hardware].overshoot
        for (t, task) in tasks.enumerated() where !o.accuracies.isEmpty {
            if let m = task.minimumAccuracy, o.accuracies[t] < m { x += (m - o.accuracies[t]) / m }
        }
        return x
    }

    // MARK: The cost model alone

    /// A design's figures by the cost model alone (what `evaluate` reports before asking the
    /// oracle): the cycles on each sub-accelerator, latency, energy, power, and which hardware
    /// specs it breaks (accuracy minima aside).
    struct Figures {
        var loads: [Double]
        var latencyMs: Double
        var energyMJ: Double
        var powerW: Double
        var hardwareBroken: Bool
        var latencyOver: Bool
        var energyOver: Bool
        var powerOver: Bool
        var feasible: Bool { !hardwareBroken && !latencyOver && !energyOver && !powerOver }
    }

    func figures(_ d: Design) -> Figures {
        let s = slot[d.hardware]
        var loads = [Double](repeating: 0, count: s.count)
        var energy = 0.0
        for t in tasks.indices {
            let c = slotCosts[s[d.assignment[t]]][t]
            loads[d.assignment[t]] += c.cycles[d.cells[t]]
            energy += c.energy[d.cells[t]]
        }
        let (ms, mj) = figures(loads: loads.max() ?? 0, dynamicPJ: energy)
        let power = ms > 0 ? mj / ms : 0
        return Figures(loads: loads, latencyMs: ms, energyMJ: mj, powerW: power, hardwareBroken: hardwareBroken[d.hardware],
                       latencyOver: constraints.maxLatencyMs.map { ms > $0 } ?? false,
                       energyOver: constraints.maxEnergyMJ.map { mj > $0 } ?? false,
                       powerOver: constraints.maxPowerW.map { power > $0 } ?? false)
    }

    /// Constraint-aware repair by the cost model alone (the accuracy oracle is not asked): while
    /// the design breaks a hardware spec, change one hardware knob (when the hardware alone breaks
    /// a budget) or change one choice of a task's architecture to a value that costs less on its
    /// sub-accelerator (fewer cycles when latency is over, for a task on an overloaded
    /// sub-accelerator; less energy when energy or power is over, for any task). On
    /// NAS-Bench-201 that makes a computing edge cheaper (a 3×3 convolution a 1×1 one, a skip, a
    /// pooling or nothing) or cuts the edge that feeds one. Nil when `steps` changes do not make it
    /// feasible.
    func repair(_ design: Design, steps: Int, rng: inout SplitMix64, checks: inout Int) -> Design? {
        var d = design
        for _ in 0...steps {
            let f = figures(d)
            checks += 1
            if f.feasible { return d }
            if f.hardwareBroken { d.hardware = neighbour(d.hardware, &rng); continue }
            let limit = (constraints.maxLatencyMs ?? .infinity) * clockMHz * 1e3
            let s = slot[d.hardware]
            var candidates: [(task: Int, architecture: Int)] = []
            for t in tasks.indices {
                let c = slotCosts[s[d.assignment[t]]][t], here = d.cells[t]
                let latency = f.loads[d.assignment[t]] > limit, energy = f.energyOver || f.powerOver
                guard latency || energy else { continue }
                for n in tasks[t].space.neighbours(of: here)
                where (latency && c.cycles[n] < c.cycles[here]) || (!latency && energy && c.energy[n] < c.energy[here]) {
                    candidates.append((t, n))
                }
            }
            guard !candidates.isEmpty else { d.hardware = neighbour(d.hardware, &rng); continue }
            let (t, n) = candidates[rng.below(candidates.count)]
            d.cells[t] = n
        }
        return nil
    }

    // MARK: What the oracle has answered

    /// A cell whose accuracy on a task is known, with its cost on one sub-accelerator.
    struct Known {
        var cell: Int
        var accuracy: Double
        var cycles: Double
        var energy: Double
    }

    /// The accuracies answered so far, per task and cell (a cell's accuracy on a task does not
    /// depend on the hardware or on the other tasks' cells), and for every distinct
    /// sub-accelerator and task the answered cells no other answered cell dominates (as
    /// accurate or more, no more cycles, no more energy), most accurate first.
    struct Knowledge {
        var accuracy: [[Int: Double]]
        var frontier: [[[Known]]]     // [distinct sub-accelerator][task]

        init(_ p: CoExploration) {
            accuracy = p.tasks.map { _ in [:] }
            frontier = p.slotCosts.map { _ in p.tasks.map { _ in [] } }
        }

        func knows(_ t: Int, _ cell: Int) -> Bool { accuracy[t][cell] != nil }

        /// Records what an evaluation answered (not the tasks whose oracle failed).
        mutating func learn(_ o: Outcome, _ p: CoExploration) {
            guard o.accuracyAsked else { return }
            for (t, task) in p.tasks.enumerated() where accuracy[t][o.design.cells[t]] == nil {
                if o.violations.contains(where: { $0.hasPrefix("oracle[\(task.name)] failed") }) { continue }
                let c = o.design.cells[t], a = o.accuracies[t]
                accuracy[t][c] = a
                // A cell below the task's minimum can never be part of a feasible design.
                if let m = task.minimumAccuracy, a < m { continue }
                for i in p.slotCosts.indices {
                    let k = Known(cell: c, accuracy: a, cycles: p.slotCosts[i][t].cycles[c], energy: p.slotCosts[i][t].energy[c])
                    var f = frontier[i][t]
                    if f.contains(where: { $0.accuracy >= k.accuracy && $0.cycles <= k.cycles && $0.energy <= k.energy }) { continue }
                    f.removeAll { k.accuracy >= $0.accuracy && k.cycles <= $0.cycles && k.energy <= $0.energy }
                    let at = f.firstIndex { $0.accuracy < k.accuracy } ?? f.count
                    f.insert(k, at: at)
                    frontier[i][t] = f
                }
            }
        }
    }

    /// Recombination by the cost model: the most accurate feasible design made only of cells whose
    /// accuracy is known for their task, over every hardware candidate (`recombinationHardware`) and assignment (a
    /// branch-and-bound over each task's non-dominated known cells on its sub-accelerator; the
    /// power spec is checked on complete designs). With `fixed`, that task takes that cell (its
    /// accuracy need not be known) and the others are chosen around it. Returns the design and its
    /// weighted accuracy (without the fixed task's); nil when no combination is feasible.
    func recombine(_ k: Knowledge, fixed: (task: Int, cell: Int)? = nil, checks: inout Int) -> (design: Design, value: Double)? {
        let T = tasks.count, S = hardware.slotCount
        let weights = tasks.map(\.weight)
        var best: (design: Design, value: Double)?
        var bestValue = -Double.infinity
        var cells = [Int](repeating: 0, count: T)
        var loads = [Double](repeating: 0, count: S)
        var lists = [[Known]](repeating: [], count: T)
        var rest = [Double](repeating: 0, count: T + 1)
        for h in recombinationHardware {
            let s = slot[h]
            for asg in assignments {
                var empty = false
                for t in 0..<T {
                    if let f = fixed, f.task == t {
                        let c = slotCosts[s[asg[t]]][t]
                        lists[t] = [Known(cell: f.cell, accuracy: 0, cycles: c.cycles[f.cell], energy: c.energy[f.cell])]
                    } else {
                        lists[t] = k.frontier[s[asg[t]]][t]
                    }
                    if lists[t].isEmpty { empty = true; break }
                }
                if empty { continue }
                rest[T] = 0
                for t in stride(from: T - 1, through: 0, by: -1) { rest[t] = rest[t + 1] + weights[t] * lists[t][0].accuracy }
                if rest[0] <= bestValue { continue }
                for i in 0..<S { loads[i] = 0 }
                func dfs(_ t: Int, _ value: Double, _ energy: Double) {
                    if t == T {
                        checks += 1
                        let (ms, mj) = figures(loads: loads.max() ?? 0, dynamicPJ: energy)
                        let power = ms > 0 ? mj / ms : 0
                        if let l = constraints.maxPowerW, power > l { return }
                        if let l = constraints.maxEnergyMJ, mj > l { return }
                        bestValue = value
                        best = (Design(hardware: h, assignment: asg, cells: cells), value)
                        return
                    }
                    for c in lists[t] {
                        let v = value + weights[t] * c.accuracy
                        if v + rest[t + 1] <= bestValue { break }
                        let load = loads[asg[t]] + c.cycles, e = energy + c.energy
                        if let l = constraints.maxLatencyMs, load / (clockMHz * 1e3) > l { continue }
                        // The static energy grows with the latency, which only grows deeper down.
                        if let l = constraints.maxEnergyMJ, figures(loads: max(load, loads.max() ?? 0), dynamicPJ: e).mj > l { continue }
                        let saved = loads[asg[t]]
                        loads[asg[t]] = load
                        cells[t] = c.cell
                        dfs(t + 1, v, e)
                        loads[asg[t]] = saved
                    }
                }
                dfs(0, 0, 0)
            }
        }
        return best
    }

    // MARK: When the aids take a turn

    /// The cost-model aids' settings, shared by every sampling strategy that uses them.
    public struct AidSettings: Sendable {
        /// Cost-model repair steps for a child that breaks a hardware spec (0: no repair); the
        /// controller repairs only the variants it evaluates after repeated samples.
        public var repairSteps = 20
        /// A recombination of the known architectures after this many evaluations (0: never).
        public var recombineEvery = 250
        /// The last fraction of the budget goes to the local search (when it has neighbours left).
        public var localSearchFraction = 0.5
        public init() {}
        /// No aids at all (the strategies' own search).
        public static var none: AidSettings {
            var a = AidSettings()
            a.repairSteps = 0
            a.recombineEvery = 0
            a.localSearchFraction = 0
            return a
        }
    }

    /// When the aids take a turn in a sampling search: the local search in the last part of the
    /// budget (until it has no neighbour left; new answers reopen it every 50 evaluations), and a
    /// recombination every `recombineEvery` evaluations.
    struct AidSchedule {
        let recombineEvery: Int
        let localFrom: Int
        var lastRecombination: Int
        var localSearchDone = false

        init(_ s: AidSettings, budget: Int, from start: Int) {
            recombineEvery = s.recombineEvery
            localFrom = budget - Int(Double(budget) * s.localSearchFraction)
            lastRecombination = start
        }

        /// An aid's evaluation when it is an aid's turn; nil when the strategy's own step is due.
        mutating func turn(_ progress: inout Progress, _ rng: inout SplitMix64, _ evaluate: Evaluator) rethrows -> Outcome? {
            if progress.evaluations >= localFrom && !localSearchDone {
                if let o = try progress.localSearchStep(&rng, evaluate) { return o }
                localSearchDone = true
            }
            if recombineEvery > 0 && progress.evaluations - lastRecombination >= recombineEvery {
                lastRecombination = progress.evaluations
                if let o = try progress.recombination(evaluate) { return o }
            }
            return nil
        }

        /// After one of the strategy's own evaluations: new answers may open new neighbours.
        mutating func evaluated(_ progress: Progress) {
            if localSearchDone && progress.evaluations % 50 == 0 { localSearchDone = false }
        }
    }

    // MARK: Shared search state

    /// What a sampling search has done so far: the designs evaluated (none is evaluated twice),
    /// what the oracle answered, the best feasible design, and the local search's probes.
    struct Progress {
        let problem: CoExploration
        var evaluations = 0
        var seen = Set<Design>()
        var knowledge: Knowledge
        var best: Outcome?
        var stats = SearchStats()
        var probed = Set<SIMD2<Int>>()
        /// Per task, a hill climber on the task's accuracy alone: its cell, or nil before it starts.
        var walkers: [Int?]
        var steps = 0
        var climbTurn = false

        init(_ p: CoExploration) {
            problem = p
            knowledge = Knowledge(p)
            walkers = p.tasks.map { _ in nil }
        }

        /// Probes cell c for task t, placed in the best feasible design around it; nil when it
        /// cannot be placed or that design was seen.
        mutating func probe(_ t: Int, _ c: Int, _ evaluator: Evaluator) rethrows -> Outcome? {
            probed.insert(SIMD2(t, c))
            guard let r = problem.recombine(knowledge, fixed: (t, c), checks: &stats.costModelChecks), !seen.contains(r.design) else { return nil }
            stats.probes += 1
            return try evaluate(r.design, evaluator)
        }

        func untried(_ t: Int, _ c: Int) -> Bool { !knowledge.knows(t, c) && !probed.contains(SIMD2(t, c)) }

        /// One step of the hill climbers (tasks in turn): the next untried one-edge neighbour of
        /// the task's climber is probed, and the climber moves there when it is more accurate;
        /// a climber whose neighbours have all been tried restarts from a random untried cell (so
        /// that a task's search is not held in the basin the population converged to).
        mutating func climb(_ rng: inout SplitMix64, _ evaluator: Evaluator) rethrows -> Outcome? {
            let T = problem.tasks.count
            for i in 0..<T {
                let t = (steps + i) % T
                if walkers[t] == nil { walkers[t] = best?.design.cells[t] }
                if let w = walkers[t], let here = knowledge.accuracy[t][w] {
                    for c in problem.oneChoiceNeighbours(t, of: w, from: rng.below(problem.tasks[t].space.neighbourCount)) {
                        guard untried(t, c), let o = try probe(t, c, evaluator) else { continue }
                        if let a = knowledge.accuracy[t][c], a > here { walkers[t] = c }
                        steps += 1
                        return o
                    }
                }
                // A restart: random cells until one can be placed.
                for _ in 0..<50 {
                    let c = rng.below(problem.tasks[t].space.count)
                    guard untried(t, c), let o = try probe(t, c, evaluator) else { continue }
                    walkers[t] = c
                    steps += 1
                    return o
                }
            }
            return nil
        }

        mutating func evaluate(_ d: Design, _ evaluator: Evaluator) rethrows -> Outcome {
            let o = try evaluator(d)
            evaluations += 1
            seen.insert(d)
            knowledge.learn(o, problem)
            if o.feasible && (best == nil || o.weightedAccuracy > best!.weightedAccuracy) { best = o }
            return o
        }

        /// The recombination of the known cells, evaluated when it is a design not seen yet.
        mutating func recombination(_ evaluator: Evaluator) rethrows -> Outcome? {
            guard let r = problem.recombine(knowledge, checks: &stats.costModelChecks), !seen.contains(r.design) else { return nil }
            stats.recombinations += 1
            return try evaluate(r.design, evaluator)
        }

        /// One step of local search: the recombination of the known cells when it is new; else,
        /// every other step, a step of the hill climbers (`climb`); else a probe of a cell not
        /// answered yet, one edge away from a known cell that matters (for each task, the best
        /// design's cell first, then the cells of the recombination frontiers, most accurate
        /// first; tasks in turn), placed in the best feasible design around it (hardware,
        /// assignment and the other tasks' known cells by recombination). Nil when no such
        /// neighbour can be placed.
        mutating func localSearchStep(_ rng: inout SplitMix64, _ evaluator: Evaluator) rethrows -> Outcome? {
            if let o = try recombination(evaluator) { return o }
            // Every other step, the hill climbers.
            climbTurn.toggle()
            if climbTurn, let o = try climb(&rng, evaluator) { return o }
            let T = problem.tasks.count
            // Centres per task: the best design's cell, then the frontier cells by accuracy.
            var centres: [[Int]] = (0..<T).map { t in best.map { [$0.design.cells[t]] } ?? [] }
            for t in 0..<T {
                var seenCells = Set(centres[t])
                let all = knowledge.frontier.flatMap { $0[t] }.sorted { ($0.accuracy, -$0.cell) > ($1.accuracy, -$1.cell) }
                for k in all where seenCells.insert(k.cell).inserted { centres[t].append(k.cell) }
            }
            let first = rng.below(T)
            let longest = centres.map(\.count).max() ?? 0
            for rank in 0..<longest {
                for i in 0..<T {
                    let t = (first + i) % T
                    guard rank < centres[t].count else { continue }
                    for c in problem.oneChoiceNeighbours(t, of: centres[t][rank], from: rng.below(problem.tasks[t].space.neighbourCount)) {
                        if untried(t, c), let o = try probe(t, c, evaluator) { return o }
                    }
                }
            }
            return nil
        }
    }
}

extension CoExploration {
    /// The architectures of task t one choice away from `architecture` (on NAS-Bench-201 the 24
    /// cells one edge away), in `ArchitectureSpace.neighbours` order rotated to begin at `start`.
    func oneChoiceNeighbours(_ t: Int, of architecture: Int, from start: Int) -> [Int] {
        let all = tasks[t].space.neighbours(of: architecture)
        guard !all.isEmpty else { return [] }
        return (0..<all.count).map { all[(start + $0) % all.count] }
    }
}
