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
        x += hardwareChecks[o.design.hardware].overshoot + measuredOvershoot(o.design)
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
}
