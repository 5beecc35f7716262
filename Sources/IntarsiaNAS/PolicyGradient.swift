import IntarsiaCore
import IntarsiaExplore

extension CoExploration {
    /// The decisions of a joint design, in the order the controller emits them.
    public var decisionSizes: [Int] {
        Array(hardware.knobRadices.joined()) + tasks.map { _ in hardware.slotCount } + tasks.flatMap { $0.space.radices }
    }

    /// The joint design the controller's decisions make.
    public func design(from actions: [Int]) -> Design {
        // The hardware candidate: its knobs' digits in the kernel's numbering (`CoHardwareSpace.candidate`).
        let radices = Array(self.hardware.knobRadices.joined())
        let hardware = IndexedSpace(radices: radices).encode(Array(actions[..<radices.count]))
        var k = radices.count
        let assignment = tasks.indices.map { t in actions[k + t] }
        k += tasks.count
        var cells: [Int] = []
        for task in tasks {
            let n = task.space.radices.count
            cells.append(task.space.index(Array(actions[k..<(k + n)])))
            k += n
        }
        return Design(hardware: hardware, assignment: assignment, cells: cells)
    }

    /// The controller's settings (see `policyGradient`); the defaults are the best found on the
    /// bundled spec (docs/NAS.md).
    public struct ControllerSettings: Sendable {
        /// The policy's size and learning (the kernel's; NASAIC's values are its defaults).
        public var policy = IntarsiaExplore.ControllerSettings()
        /// The cost-model aids (recombination, local search; repair of the variants evaluated
        /// after repeated samples).
        public var aids = AidSettings()
        public init() {}
    }

    /// NASAIC's REINFORCE controller (the kernel's `Reinforce`, with the aids as its hooks,
    /// `runWithAids`): batches of designs sampled from the policy over `decisionSizes`; reward the
    /// mean accuracy above 65 points, over 5, for a feasible design, and below every feasible
    /// design a penalty growing with the overshoot (designs that break a hardware spec are priced
    /// by the cost model alone: early pruning). A design the policy samples again is not
    /// evaluated again: its reward is remembered (the budget counts distinct designs); after 20
    /// repeats in a row a changed design, repaired by the cost model, is evaluated instead. As in
    /// `evolution`, the best design made of the cells answered so far is evaluated every
    /// `recombineEvery` evaluations, and the last part of the budget goes to the local search
    /// over one-edge neighbours.
    @discardableResult
    public func policyGradient(budget: Int, seed: UInt64, settings: ControllerSettings = .init(), evaluate: Evaluator) rethrows -> SearchStats {
        let weights = max(tasks.reduce(0) { $0 + $1.weight }, 1e-12)
        var run = try runWithAids(budget: budget, seed: seed, population: settings.policy.batch, aids: settings.aids, evaluate: evaluate) { c, state in
            var c = c
            c.controller = settings.policy
            // Mean accuracy points above 65, over 5 (about 1 for the best cells), never below -3;
            // an infeasible design below every feasible one, by a penalty that grows with the
            // overshoot. (Without the floor, a feasible design of low accuracy, or any design of
            // a hardware-only search, would earn less than an infeasible one.)
            c.reward = { s in s.feasible ? max((-s.objective(0) / weights - 65) / 5, -3) : -3 - min(max(s.violation, 1e-6), 10) }
            c.revisit = { d, seen, rng in state.variant(of: d, seen: seen, repairSteps: settings.aids.repairSteps, &rng) }
            return Reinforce(c, decisions: decisionSizes, decode: design(from:))
        }
        run.stats.samples = run.strategy.samples
        run.stats.duplicates = run.strategy.duplicates
        return run.stats
    }

    public func policyGradient(budget: Int, seed: UInt64, settings: ControllerSettings = .init(), visit: (Int, Outcome) -> Void) {
        var n = 0
        policyGradient(budget: budget, seed: seed, settings: settings) { d in let o = evaluate(d); visit(n, o); n += 1; return o }
    }
}
