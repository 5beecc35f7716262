import IntarsiaCore

/// When the cost-model aids take a turn in a sampling search, and the search's shared state: the
/// designs evaluated, what the oracle answered, the best design and the local search's probes.
extension CoExploration {
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

        /// An aid's design when it is an aid's turn (to be evaluated and recorded before the
        /// next turn); nil when the strategy's own step is due.
        mutating func turn(_ progress: inout Progress, _ rng: inout SplitMix64) -> Design? {
            if progress.evaluations >= localFrom && !localSearchDone {
                if let d = progress.localSearchStep(&rng) { return d }
                localSearchDone = true
            }
            if recombineEvery > 0 && progress.evaluations - lastRecombination >= recombineEvery {
                lastRecombination = progress.evaluations
                if let d = progress.recombination() { return d }
            }
            return nil
        }

        /// An aid's evaluation when it is an aid's turn; nil when the strategy's own step is due.
        mutating func turn(_ progress: inout Progress, _ rng: inout SplitMix64, _ evaluate: Evaluator) rethrows -> Outcome? {
            guard let d = turn(&progress, &rng) else { return nil }
            return try progress.evaluate(d, evaluate)
        }

        /// After one of the strategy's own evaluations: new answers may open new neighbours.
        mutating func evaluated(_ progress: Progress) {
            if localSearchDone && progress.evaluations % 50 == 0 { localSearchDone = false }
        }
    }

    // MARK: Shared search state

    /// What a sampling search has done so far: the designs evaluated (a repeat only when a
    /// strategy is stuck, docs/NAS.md), what the oracle answered, the best feasible design, and
    /// the local search's probes.
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
        /// A climber's probe awaiting its answer: the climber moves there when it is more accurate
        /// than `here`.
        var pendingClimb: (task: Int, cell: Int, here: Double)?

        init(_ p: CoExploration) {
            problem = p
            knowledge = Knowledge(p)
            walkers = p.tasks.map { _ in nil }
        }

        /// Probes cell c for task t: the best feasible design around it, to be evaluated; nil when
        /// it cannot be placed or that design was seen.
        mutating func probe(_ t: Int, _ c: Int) -> Design? {
            probed.insert(SIMD2(t, c))
            guard let r = problem.recombine(knowledge, fixed: (t, c), checks: &stats.costModelChecks), !seen.contains(r.design) else { return nil }
            stats.probes += 1
            return r.design
        }

        func untried(_ t: Int, _ c: Int) -> Bool { !knowledge.knows(t, c) && !probed.contains(SIMD2(t, c)) }

        /// One step of the hill climbers (tasks in turn): the next untried one-edge neighbour of
        /// the task's climber is probed, and the climber moves there when it is more accurate;
        /// a climber whose neighbours have all been tried restarts from a random untried cell (so
        /// that a task's search is not held in the basin the population converged to).
        mutating func climb(_ rng: inout SplitMix64) -> Design? {
            let T = problem.tasks.count
            for i in 0..<T {
                let t = (steps + i) % T
                if walkers[t] == nil { walkers[t] = best?.design.cells[t] }
                if let w = walkers[t], let here = knowledge.accuracy[t][w] {
                    for c in problem.oneChoiceNeighbours(t, of: w, from: rng.below(problem.tasks[t].space.neighbourCount)) {
                        guard untried(t, c), let d = probe(t, c) else { continue }
                        pendingClimb = (t, c, here)
                        steps += 1
                        return d
                    }
                }
                // A restart: random cells until one can be placed.
                for _ in 0..<50 {
                    let c = rng.below(problem.tasks[t].space.count)
                    guard untried(t, c), let d = probe(t, c) else { continue }
                    walkers[t] = c
                    steps += 1
                    return d
                }
            }
            return nil
        }

        mutating func evaluate(_ d: Design, _ evaluator: Evaluator) rethrows -> Outcome {
            let o = try evaluator(d)
            record(o)
            return o
        }

        /// An evaluation's answer: counted, learned from, and the pending climber moved.
        mutating func record(_ o: Outcome) {
            evaluations += 1
            seen.insert(o.design)
            knowledge.learn(o, problem)
            if o.feasible && (best == nil || o.weightedAccuracy > best!.weightedAccuracy) { best = o }
            if let p = pendingClimb {
                if let a = knowledge.accuracy[p.task][p.cell], a > p.here { walkers[p.task] = p.cell }
                pendingClimb = nil
            }
        }

        /// The recombination of the known cells, to be evaluated, when it is a design not seen yet.
        mutating func recombination() -> Design? {
            guard let r = problem.recombine(knowledge, checks: &stats.costModelChecks), !seen.contains(r.design) else { return nil }
            stats.recombinations += 1
            return r.design
        }

        /// One step of local search: the recombination of the known cells when it is new; else,
        /// every other step, a step of the hill climbers (`climb`); else a probe of a cell not
        /// answered yet, one edge away from a known cell that matters (for each task, the best
        /// design's cell first, then the cells of the recombination frontiers, most accurate
        /// first; tasks in turn), placed in the best feasible design around it (hardware,
        /// assignment and the other tasks' known cells by recombination). Nil when no such
        /// neighbour can be placed.
        mutating func localSearchStep(_ rng: inout SplitMix64) -> Design? {
            if let d = recombination() { return d }
            // Every other step, the hill climbers.
            climbTurn.toggle()
            if climbTurn, let d = climb(&rng) { return d }
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
                        if untried(t, c), let d = probe(t, c) { return d }
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
