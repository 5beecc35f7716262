import Foundation
import IntarsiaGLPK

/// Maps networks (or layers) onto heterogeneous sub-accelerators and splits the PE and bandwidth
/// budget among them (NASAIC-, Herald-, H2H-style systems), exactly where an integer program
/// closes and with a list scheduler, reported as such, where it does not.
///
/// The costs are inputs (`latency[job][accelerator][option]`, likewise energy): any cost model
/// can fill them (the ASIC dataflows do, in `HeterogeneousASIC`).
public enum SubAcceleratorMapper {
    public struct Size: Sendable, Equatable {
        public var name: String
        public var processingElements: Int
        public var bandwidthGBps: Double
        public init(name: String, processingElements: Int, bandwidthGBps: Double) {
            self.name = name
            self.processingElements = processingElements
            self.bandwidthGBps = bandwidthGBps
        }
    }

    public enum Goal: String, Sendable { case latency, energy }

    public struct Problem: Sendable {
        public var jobs: [String]
        public var accelerators: [String]
        /// Sizes each sub-accelerator may take (one is chosen per sub-accelerator).
        public var sizes: [[Size]]
        /// Cycles of job j on accelerator a at size o (infinity: cannot run there).
        public var latency: [[[Double]]]
        public var energy: [[[Double]]]
        public var peBudget: Int
        public var bandwidthBudgetGBps: Double
        public var goal: Goal
        public var maxLatency: Double?
        public var maxEnergy: Double?
        public init(jobs: [String], accelerators: [String], sizes: [[Size]], latency: [[[Double]]], energy: [[[Double]]],
                    peBudget: Int, bandwidthBudgetGBps: Double, goal: Goal = .latency, maxLatency: Double? = nil, maxEnergy: Double? = nil) {
            self.jobs = jobs
            self.accelerators = accelerators
            self.sizes = sizes
            self.latency = latency
            self.energy = energy
            self.peBudget = peBudget
            self.bandwidthBudgetGBps = bandwidthBudgetGBps
            self.goal = goal
            self.maxLatency = maxLatency
            self.maxEnergy = maxEnergy
        }
    }

    public struct Mapping: Sendable {
        /// Size index per accelerator.
        public var sizes: [Int]
        /// Accelerator per job.
        public var assignment: [Int]
        /// Makespan: the largest summed latency over accelerators (network granularity) or the
        /// finish time of the last layer (layer granularity).
        public var latency: Double
        public var energy: Double
        public var status: SolveResult.Status
        /// "milp", "exhaustive" or "list scheduler (heuristic)".
        public var method: String
        public var seconds: Double
    }

    public struct Infeasible: Error, CustomStringConvertible {
        public var description: String
    }

    // MARK: Network granularity

    public static func formulate(_ p: Problem) -> (LinearModel, y: [[Int]], x: [[[Int?]]], z: Int) {
        // Latencies and energies in units of their largest finite value: cycle counts of 10^8
        // and more as coefficients mislead GLPK's MIP tolerances (it returned a mapping 7 times
        // the optimum on such a problem); `solve` evaluates the chosen mapping in real units.
        let latencyUnit = max(1, p.latency.flatMap { $0.flatMap { $0 } }.filter(\.isFinite).max() ?? 1)
        let energyUnit = max(1, p.energy.flatMap { $0.flatMap { $0 } }.filter(\.isFinite).max() ?? 1)
        var m = LinearModel(sense: .minimize)
        let z = m.addVariable("makespan", lower: 0, cost: p.goal == .latency ? 1 : 0)
        var y: [[Int]] = []
        for (a, sizes) in p.sizes.enumerated() {
            let ys = sizes.indices.map { m.addVariable("y_\(a)_\($0)", kind: .binary) }
            y.append(ys)
            m.addConstraint("size_\(a)", ys.map { ($0, 1.0) }, lower: 1, upper: 1)
        }
        var x: [[[Int?]]] = []
        var energyTerms: [(Int, Double)] = []
        for j in p.jobs.indices {
            var xj: [[Int?]] = []
            var terms: [(Int, Double)] = []
            for a in p.accelerators.indices {
                var xa: [Int?] = []
                for o in p.sizes[a].indices {
                    guard p.latency[j][a][o].isFinite else { xa.append(nil); continue }
                    let v = m.addVariable("x_\(j)_\(a)_\(o)", kind: .binary, cost: p.goal == .energy ? p.energy[j][a][o] / energyUnit : 0)
                    m.addConstraint("use_\(j)_\(a)_\(o)", [(v, 1.0), (y[a][o], -1.0)], upper: 0)
                    terms.append((v, 1))
                    energyTerms.append((v, p.energy[j][a][o] / energyUnit))
                    xa.append(v)
                }
                xj.append(xa)
            }
            m.addConstraint("assign_\(j)", terms, lower: 1, upper: 1)
            x.append(xj)
        }
        for a in p.accelerators.indices {
            var terms: [(Int, Double)] = [(z, 1.0)]
            for j in p.jobs.indices { for o in p.sizes[a].indices { if let v = x[j][a][o] { terms.append((v, -p.latency[j][a][o] / latencyUnit)) } } }
            m.addConstraint("makespan_\(a)", terms, lower: 0)
        }
        let all = zip(y, p.sizes).flatMap { zip($0, $1) }
        m.addConstraint("pe", all.map { ($0.0, Double($0.1.processingElements)) }, upper: Double(p.peBudget))
        m.addConstraint("bandwidth", all.map { ($0.0, $0.1.bandwidthGBps) }, upper: p.bandwidthBudgetGBps)
        if let l = p.maxLatency { m.addConstraint("latency_cap", [(z, 1.0)], upper: l / latencyUnit) }
        if let e = p.maxEnergy { m.addConstraint("energy_cap", energyTerms, upper: e / energyUnit) }
        return (m, y, x, z)
    }

    /// Exact mapping at network granularity (GLPK).
    public static func solve(_ p: Problem, timeLimitSeconds: Double = 10, lpPath: String? = nil) throws -> Mapping {
        let start = Date()
        let (m, y, x, _) = formulate(p)
        var o = SolveOptions()
        o.timeLimitSeconds = timeLimitSeconds
        o.lpPath = lpPath
        let r = try GLPK.solve(m, options: o)
        guard r.hasSolution else {
            throw Infeasible(description: "no mapping meets the PE budget \(p.peBudget), the bandwidth budget \(p.bandwidthBudgetGBps) GB/s"
                             + (p.maxLatency.map { " and latency <= \($0)" } ?? "") + (p.maxEnergy.map { " and energy <= \($0)" } ?? "")
                             + " (GLPK: \(r.status.rawValue))")
        }
        let sizes = y.map { ys in ys.firstIndex { r.values[$0] > 0.5 }! }
        var assignment = [Int](repeating: 0, count: p.jobs.count)
        for j in p.jobs.indices {
            for a in p.accelerators.indices { for o in p.sizes[a].indices { if let v = x[j][a][o], r.values[v] > 0.5 { assignment[j] = a } } }
        }
        let (lat, en) = evaluate(p, sizes, assignment)
        return Mapping(sizes: sizes, assignment: assignment, latency: lat, energy: en, status: r.status, method: "milp",
                       seconds: Date().timeIntervalSince(start))
    }

    /// Makespan (largest per-accelerator sum) and total energy of a network-granularity mapping.
    public static func evaluate(_ p: Problem, _ sizes: [Int], _ assignment: [Int]) -> (Double, Double) {
        var load = [Double](repeating: 0, count: p.accelerators.count)
        var energy = 0.0
        for (j, a) in assignment.enumerated() {
            load[a] += p.latency[j][a][sizes[a]]
            energy += p.energy[j][a][sizes[a]]
        }
        return (load.max() ?? 0, energy)
    }

    /// Every size choice and assignment (small problems only): the cross-check.
    public static func exhaustive(_ p: Problem) -> Mapping? {
        var best: Mapping?
        var sizes = [Int](repeating: 0, count: p.accelerators.count)
        var assignment = [Int](repeating: 0, count: p.jobs.count)
        func better(_ l: Double, _ e: Double) -> Bool {
            guard let b = best else { return true }
            return p.goal == .latency ? l < b.latency - 1e-9 : e < b.energy - 1e-9
        }
        func assign(_ j: Int) {
            if j == p.jobs.count {
                let (l, e) = evaluate(p, sizes, assignment)
                guard l.isFinite, p.maxLatency.map({ l <= $0 + 1e-9 }) ?? true, p.maxEnergy.map({ e <= $0 + 1e-9 }) ?? true else { return }
                if better(l, e) { best = Mapping(sizes: sizes, assignment: assignment, latency: l, energy: e, status: .optimal, method: "exhaustive", seconds: 0) }
                return
            }
            for a in p.accelerators.indices { assignment[j] = a; assign(j + 1) }
        }
        func size(_ a: Int) {
            if a == p.accelerators.count {
                let pe = zip(sizes, p.sizes).reduce(0) { $0 + $1.1[$1.0].processingElements }
                let bw = zip(sizes, p.sizes).reduce(0.0) { $0 + $1.1[$1.0].bandwidthGBps }
                if pe <= p.peBudget && bw <= p.bandwidthBudgetGBps + 1e-9 { assign(0) }
                return
            }
            for o in p.sizes[a].indices { sizes[a] = o; size(a + 1) }
        }
        size(0)
        return best
    }

    // MARK: Layer granularity with precedence

    /// Layers with dependencies on sub-accelerators of fixed sizes: `latency[layer][accelerator]`.
    public struct LayerProblem: Sendable {
        public var layers: [String]
        public var predecessors: [[Int]]
        public var latency: [[Double]]
        public var accelerators: Int
        public init(layers: [String], predecessors: [[Int]], latency: [[Double]], accelerators: Int) {
            self.layers = layers
            self.predecessors = predecessors
            self.latency = latency
            self.accelerators = accelerators
        }
    }

    public struct LayerSchedule: Sendable {
        public var assignment: [Int]
        public var start: [Double]
        public var makespan: Double
        public var status: SolveResult.Status
        public var method: String
    }

    /// Exact for up to `exactLimit` layers (a disjunctive integer program: start times, one
    /// accelerator per layer, an order binary per pair that shares one; big-M from the summed
    /// latencies); beyond it, or when GLPK does not prove optimality in time, the list
    /// scheduler's answer, labelled as a heuristic.
    public static func schedule(_ p: LayerProblem, exactLimit: Int = 10, timeLimitSeconds: Double = 10) throws -> LayerSchedule {
        let heuristic = listSchedule(p)
        guard p.layers.count <= exactLimit else { return heuristic }
        let n = p.layers.count, a = p.accelerators
        let bigM = p.latency.reduce(0) { $0 + ($1.filter(\.isFinite).max() ?? 0) } + 1
        var m = LinearModel(sense: .minimize)
        let z = m.addVariable("makespan", lower: 0, cost: 1)
        let s = (0..<n).map { m.addVariable("s_\($0)", lower: 0) }
        var x = [[Int?]](repeating: [Int?](repeating: nil, count: a), count: n)
        for j in 0..<n {
            var terms: [(Int, Double)] = []
            for k in 0..<a where p.latency[j][k].isFinite {
                let v = m.addVariable("x_\(j)_\(k)", kind: .binary)
                x[j][k] = v
                terms.append((v, 1))
            }
            m.addConstraint("assign_\(j)", terms, lower: 1, upper: 1)
            // finish_j = s_j + Σ_k lat·x  <=  makespan
            m.addConstraint("end_\(j)", [(z, 1.0), (s[j], -1.0)] + (0..<a).compactMap { k in x[j][k].map { ($0, -p.latency[j][k]) } }, lower: 0)
            for q in p.predecessors[j] {
                m.addConstraint("prec_\(q)_\(j)", [(s[j], 1.0), (s[q], -1.0)] + (0..<a).compactMap { k in x[q][k].map { ($0, -p.latency[q][k]) } }, lower: 0)
            }
        }
        for i in 0..<n {
            for j in (i + 1)..<n {
                let w = m.addVariable("w_\(i)_\(j)", kind: .binary)  // 1: i before j when they share an accelerator
                for k in 0..<a {
                    guard let xi = x[i][k], let xj = x[j][k] else { continue }
                    // s_j >= s_i + lat_i - M(1 - w) - M(2 - x_ik - x_jk)
                    m.addConstraint("ord_\(i)_\(j)_\(k)", [(s[j], 1.0), (s[i], -1.0), (w, -bigM), (xi, -bigM), (xj, -bigM)],
                                    lower: p.latency[i][k] - 3 * bigM)
                    // s_i >= s_j + lat_j - M·w - M(2 - x_ik - x_jk)
                    m.addConstraint("ord_\(j)_\(i)_\(k)", [(s[i], 1.0), (s[j], -1.0), (w, bigM), (xi, -bigM), (xj, -bigM)],
                                    lower: p.latency[j][k] - 2 * bigM)
                }
            }
        }
        var o = SolveOptions()
        o.timeLimitSeconds = timeLimitSeconds
        let r = try GLPK.solve(m, options: o)
        guard r.status == .optimal else {
            var h = heuristic
            if r.hasSolution, r.objective! < h.makespan {
                h.method = "milp (not proven optimal: \(r.note))"
                h.status = .feasible
                h.assignment = (0..<n).map { j in (0..<a).first { k in x[j][k].map { r.values[$0] > 0.5 } ?? false }! }
                h.start = s.map { r.values[$0] }
                h.makespan = r.objective!
            }
            return h
        }
        let assignment = (0..<n).map { j in (0..<a).first { k in x[j][k].map { r.values[$0] > 0.5 } ?? false }! }
        return LayerSchedule(assignment: assignment, start: s.map { r.values[$0] }, makespan: r.objective!, status: .optimal, method: "milp")
    }

    /// HEFT-style list scheduling: layers by decreasing upward rank (mean latency plus the longest
    /// path to the end), each on the accelerator where it finishes first.
    public static func listSchedule(_ p: LayerProblem) -> LayerSchedule {
        let n = p.layers.count
        var successors = [[Int]](repeating: [], count: n)
        for (j, ps) in p.predecessors.enumerated() { for q in ps { successors[q].append(j) } }
        let mean = p.latency.map { l in let f = l.filter(\.isFinite); return f.reduce(0, +) / Double(max(f.count, 1)) }
        var rank = [Double](repeating: -1, count: n)
        func upward(_ j: Int) -> Double {
            if rank[j] >= 0 { return rank[j] }
            rank[j] = mean[j] + (successors[j].map(upward).max() ?? 0)
            return rank[j]
        }
        let order = (0..<n).sorted { (upward($0), -$0) > (upward($1), -$1) }
        var free = [Double](repeating: 0, count: p.accelerators)
        var finish = [Double](repeating: 0, count: n)
        var start = [Double](repeating: 0, count: n)
        var assignment = [Int](repeating: 0, count: n)
        var done = Set<Int>()
        var pending = order
        while !pending.isEmpty {
            let idx = pending.firstIndex { j in p.predecessors[j].allSatisfy(done.contains) }!
            let j = pending.remove(at: idx)
            let ready = p.predecessors[j].map { finish[$0] }.max() ?? 0
            var best = (k: 0, end: Double.infinity)
            for k in 0..<p.accelerators where p.latency[j][k].isFinite {
                let end = max(ready, free[k]) + p.latency[j][k]
                if end < best.end { best = (k, end) }
            }
            assignment[j] = best.k
            start[j] = best.end - p.latency[j][best.k]
            finish[j] = best.end
            free[best.k] = best.end
            done.insert(j)
        }
        return LayerSchedule(assignment: assignment, start: start, makespan: finish.max() ?? 0, status: .feasible,
                             method: "list scheduler (heuristic)")
    }

    /// The exact makespan by brute force: every assignment and every topological order, each
    /// scheduled semi-actively (for tests on a handful of layers).
    public static func bruteForceMakespan(_ p: LayerProblem) -> Double {
        let n = p.layers.count
        var best = Double.infinity
        var assignment = [Int](repeating: 0, count: n)
        func orders(_ done: [Int], _ body: ([Int]) -> Void) {
            if done.count == n { body(done); return }
            for j in 0..<n where !done.contains(j) && p.predecessors[j].allSatisfy(done.contains) { orders(done + [j], body) }
        }
        func assign(_ j: Int) {
            if j == n {
                orders([]) { order in
                    var free = [Double](repeating: 0, count: p.accelerators)
                    var finish = [Double](repeating: 0, count: n)
                    for v in order {
                        let k = assignment[v]
                        let s = max(free[k], p.predecessors[v].map { finish[$0] }.max() ?? 0)
                        finish[v] = s + p.latency[v][k]
                        free[k] = finish[v]
                    }
                    best = min(best, finish.max() ?? 0)
                }
                return
            }
            for k in 0..<p.accelerators where p.latency[j][k].isFinite { assignment[j] = k; assign(j + 1) }
        }
        assign(0)
        return best
    }
}
