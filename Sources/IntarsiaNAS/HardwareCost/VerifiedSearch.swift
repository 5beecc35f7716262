import Foundation

/// A predictor-priced search whose pick is measured before it is chosen (docs/NAS.md,
/// "Predictor-driven search"): round after round the search runs on the figures as they stand
/// (measured where a verification has measured, optimistically scaled predictions elsewhere), and
/// the architectures of its pick that are not measured yet are measured, with the pick's nearest
/// rivals (`measureRivals`). The rounds end when a pick is measured throughout
/// already (the search, told every measurement so far, still prefers it) or after the
/// verification's `designs` rounds. The chosen design is the best measured one that meets every
/// spec on its measured figures (a round's pick, or a combination of cells measured in different
/// rounds, `bestMeasuredCombination`); none when no measured design does.
public struct VerifiedSearch: Sendable {
    public struct Round: Sendable {
        /// The search's pick, priced as the round saw it (predicted where not measured before).
        public var predicted: CoExploration.Outcome
        /// The same design priced by its measured figures.
        public var measured: CoExploration.Outcome
        /// Architectures of the pick measured in this round (0: the pick was measured throughout already).
        public var newlyMeasured: Int
        /// The pick's rivals measured in this round (`measureRivals`).
        public var rivalsMeasured = 0
    }

    public var rounds: [Round] = []
    /// The best feasible measured design.
    public var chosen: CoExploration.Outcome?
    /// Whether the last pick was measured throughout already (the search settled on it).
    public var settled = false
    /// Architectures measured in all (over every task's verification).
    public var measuredArchitectures = 0
    /// The most rounds the verifications allow (the smallest `verify_designs`).
    public var allowedRounds = 0
    /// Which kind priced each task's figures of the chosen design (`costProvenance`, "measured"
    /// for the verified architectures).
    public var provenance: String?
}

extension CoExploration {
    /// The verifications of the figures that price the tasks (tasks' and devices'), each once.
    public var verifications: [MeasurementVerification] {
        var out: [MeasurementVerification] = []
        for row in measured { for f in row { if let v = f?.verification, !out.contains(v) { out.append(v) } } }
        return out
    }

    /// Whether some task is priced by a predictor without a verification (its figures are
    /// predictions, never measurements).
    public var hasUnverifiedPredictions: Bool {
        measured.contains { $0.contains { $0?.kind == .predictor && $0?.verification == nil } }
    }

    /// The problem priced by the figures as the verifications have measured them so far.
    public func withVerifiedCells() throws -> CoExploration {
        let retasked = tasks.map { t in var t = t; t.hardwareCost = t.hardwareCost?.withVerifiedCells(); return t }
        var side = hardware
        if let wrapped = side as? TaskMeasuredHardware { side = wrapped.base }
        if let devices = side as? DeviceHardware {
            side = DeviceHardware(slots: devices.slots.map { $0.map { MeasuredDevice(name: $0.name, figures: $0.figures.mapValues { $0.withVerifiedCells() }) } })
        }
        return try CoExploration(tasks: retasked, hardware: side, constraints: constraints, memoryLimitKB: memoryLimitKB, workers: workers)
    }

    /// Measures the architectures of design d that a verification prices and has not measured;
    /// how many it measured.
    func measureUnverified(_ d: Design) -> Int {
        var n = 0
        for t in tasks.indices {
            guard let f = measuredFigures(d, task: t), let v = f.verification, v.measured[d.cells[t]] == nil else { continue }
            v.measure(d.cells[t])
            n += 1
        }
        return n
    }

    /// Measures, for each task of design d priced by a verified predictor, the pick's nearest
    /// rivals not measured yet (the verification's `rivals`, per task): the architectures the
    /// search would trade the pick's cell for. They are the task's cells on the front of the
    /// figures as they stand (no other cell as accurate, as fast and as frugal, within the memory
    /// spec, not failed, at least the task's minimum accuracy; `ExactSelection.nonDominated`),
    /// taken nearest the pick's cell in accuracy, one cheaper then one dearer in turn. A pick sits
    /// on a spec's limit, so the cells beside it on the front decide which designs meet the spec
    /// when measured; measured, they are priced by their true figures in every later round and
    /// can make a design with the other tasks' measured cells (`bestMeasuredCombination`). Tasks
    /// without an accuracy table have no known front: only their pick is measured. How many it
    /// measured.
    func measureRivals(_ d: Design) -> Int {
        var n = 0
        for t in tasks.indices {
            guard let v = measuredFigures(d, task: t)?.verification, v.rivals > 0, let acc = tasks[t].table else { continue }
            let floor = tasks[t].minimumAccuracy ?? -.infinity
            let front = ExactSelection.nonDominated(exactCandidates(unit: slot[d.hardware][d.assignment[t]], task: t))
                .filter { $0.accuracy >= floor && $0.index != d.cells[t] && v.measured[$0.index] == nil }
            let a0 = acc[d.cells[t]]
            let below = front.filter { $0.accuracy <= a0 }.sorted { ($0.accuracy, $1.index) > ($1.accuracy, $0.index) }
            let above = front.filter { $0.accuracy > a0 }.sorted { ($0.accuracy, $0.index) < ($1.accuracy, $1.index) }
            var picked = 0, i = 0
            while picked < v.rivals && i < max(below.count, above.count) {
                for side in [below, above] where i < side.count && picked < v.rivals { v.measure(side[i].index); picked += 1 }
                i += 1
            }
            n += picked
        }
        return n
    }

    /// Runs `search` (a strategy's best feasible design on the problem it is given, nil for none)
    /// in verification rounds; see `VerifiedSearch`.
    public func verifiedSearch(_ search: (CoExploration) throws -> Outcome?) throws -> VerifiedSearch {
        var r = VerifiedSearch()
        let all = verifications
        r.allowedRounds = all.map(\.designs).min() ?? 0
        let before = all.reduce(0) { $0 + $1.measured.count }
        var p = try withVerifiedCells()
        for _ in 0..<r.allowedRounds {
            guard let pick = try search(p) else { break }
            let n = p.measureUnverified(pick.design)
            let rivals = n > 0 ? p.measureRivals(pick.design) : 0
            if n > 0 { p = try withVerifiedCells() }
            r.rounds.append(.init(predicted: pick, measured: n > 0 ? p.evaluate(pick.design) : pick, newlyMeasured: n, rivalsMeasured: rivals))
            if n == 0 { r.settled = true; break }
        }
        r.measuredArchitectures = all.reduce(0) { $0 + $1.measured.count } - before
        let combined = p.bestMeasuredCombination(r.rounds.map(\.measured.design))
        r.chosen = (r.rounds.map(\.measured) + [combined].compactMap { $0 }).filter(\.feasible).max { $0.weightedAccuracy < $1.weightedAccuracy }
        r.provenance = r.chosen.map { p.costProvenance($0.design) }
        return r
    }

    /// The best design feasible on measured figures among those made of measured cells only: on
    /// the hardware and assignment of each of `picks`, every combination of the cells measured
    /// for each task (a task priced without a verification keeps the pick's cell). A cell
    /// measured for one round's pick can make, with another round's cells, a design no round
    /// picked; nothing new is measured. An infeasible combination asks no accuracy; a feasible
    /// one asks each task's accuracy of its cell (a cell measured for the task was that task's
    /// pick in some round when each task has its own verification, as a device's tasks do in
    /// PredictorSearchTests, so a command oracle answers from its cache; rivals are measured only
    /// for tasks with an accuracy table). At most `verify_designs` × (1 + `verify_rivals`) cells
    /// per task, so at most that to the power of the tasks combinations (729,000 for 10 rounds, 8
    /// rivals and three tasks; the microcontroller check measured at most 178 cells in all, and its
    /// whole verified exact search takes at most 5 s in a debug build).
    func bestMeasuredCombination(_ picks: [Design]) -> Outcome? {
        var best: Outcome?
        var seen = Set<[Int]>()
        for d in picks where seen.insert([d.hardware] + d.assignment).inserted {
            let choices: [[Int]] = tasks.indices.map { t in
                guard let v = measuredFigures(d, task: t)?.verification else { return [d.cells[t]] }
                return v.measured.compactMap { a, m in if case .figures = m { return a } else { return nil } }.sorted()
            }
            guard !choices.contains(where: \.isEmpty) else { continue }
            var index = [Int](repeating: 0, count: choices.count)
            while true {
                let o = evaluate(Design(hardware: d.hardware, assignment: d.assignment, cells: choices.indices.map { choices[$0][index[$0]] }))
                if o.feasible && (best == nil || o.weightedAccuracy > best!.weightedAccuracy) { best = o }
                var k = 0
                while k < index.count { index[k] += 1; if index[k] < choices[k].count { break }; index[k] = 0; k += 1 }
                if k == index.count { break }
            }
        }
        return best
    }
}
