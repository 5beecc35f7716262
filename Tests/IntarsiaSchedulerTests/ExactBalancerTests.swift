import Foundation
import Testing
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaGLPK
@testable import IntarsiaScheduler

/// The exact bisection against GLPK and brute force, the crash point of issue 17, and a solve
/// stopped by its time limit reporting "feasible" with its gap.
@Suite struct ExactBalancerTests {
    /// Options whose lanes and BRAM trade against each other when `tradeMemory` (fewer lanes
    /// take more buffer blocks), so that the fewest-lanes option is not the least-memory one
    /// and the bisection must hand some probes to GLPK.
    func instance(_ seed: UInt64, tasks: Int, options: Int, memory: Bool, tradeMemory: Bool) -> StageBalancer.Problem {
        var r = Lcg(s: seed &* 7919 &+ 17)
        let lanesMenu = [1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64]
        var opts: [[StageBalancer.Option]] = []
        for _ in 0..<tasks {
            let work = Double(500 + r.below(50_000))
            let lanes = Set((0..<options).map { _ in lanesMenu[r.below(lanesMenu.count)] }).sorted()
            var task = lanes.map { l in
                let bram = !memory ? 0 : tradeMemory ? Double(max(0, 8 - l / 8 + r.below(3))) : Double(r.below(4))
                let uram = memory && r.below(3) == 0 ? Double(r.below(3)) : 0
                return StageBalancer.Option(lanes: l, bram18k: bram, uram: uram, cycles: (work / Double(l)).rounded(.up) + Double(r.below(40)))
            }
            // Some tasks get a second option at the same lanes, and options out of lane order.
            if r.below(3) == 0, let o = task.first {
                task.append(StageBalancer.Option(lanes: o.lanes, bram18k: o.bram18k + Double(r.below(2)), uram: o.uram, cycles: o.cycles - Double(r.below(9))))
            }
            opts.append(seed % 2 == 1 ? task.reversed() : task)
        }
        let leastLanes = opts.reduce(0) { $0 + $1.map(\.lanes).min()! }
        return StageBalancer.Problem(tasks: (0..<tasks).map { "t\($0)" }, options: opts, laneBudget: leastLanes + r.below(16 * tasks),
                                     bramBudget: memory ? Double(tasks * (2 + r.below(5))) : .infinity,
                                     uramBudget: memory ? Double(tasks / 2 + r.below(3)) : .infinity)
    }

    /// The fewest lanes each task needs to meet `interval`, worked out by brute force.
    func fewestLanes(_ p: StageBalancer.Problem, _ interval: Double) -> [Int] {
        p.options.map { $0.filter { $0.cycles <= interval }.map(\.lanes).min()! }
    }

    @Test func randomInstancesEqualGLPKAndBruteForce() throws {
        var undecided = 0, infeasible = 0, solved = 0
        for seed in 0..<300 {
            let memory = seed % 3 != 0
            let p = instance(UInt64(seed), tasks: 2 + seed % 4, options: 3 + seed % 4, memory: memory, tradeMemory: seed % 3 == 2)
            let brute = StageBalancer.exhaustive(p)
            let glpk = try? StageBalancer.milp(p)
            let outcome = StageBalancer.exact(p)
            if case .undecided = outcome { undecided += 1 }
            guard let brute else {
                infeasible += 1
                #expect(glpk == nil, "seed \(seed)")
                #expect(throws: StageBalancer.Infeasible.self) { try StageBalancer.solve(p) }
                continue
            }
            solved += 1
            let s = try StageBalancer.solve(p)
            #expect(s.status == .optimal, "seed \(seed)")
            #expect(s.initiationInterval == brute, "seed \(seed): \(s.initiationInterval) vs brute force \(brute)")
            #expect(glpk?.status == .optimal && glpk?.initiationInterval == brute, "seed \(seed)")
            #expect(StageBalancer.fits(p, s.choice), "seed \(seed)")
            #expect(zip(p.options, s.choice).map { $0[$1].cycles }.max() == brute)
            if case .optimal(let choice, let interval) = outcome {
                #expect(s.method == .bisection && choice == s.choice && interval == brute)
                #expect(s.lanes == fewestLanes(p, brute), "seed \(seed): the canonical split is the fewest lanes per task")
            } else {
                #expect(s.method == .milp, "seed \(seed)")
            }
            if !memory { #expect(s.method == .bisection, "seed \(seed): lanes alone never need the MILP") }
        }
        // The seeds cover both paths and unreachable budgets.
        #expect(undecided >= 50 && solved >= 150 && infeasible >= 50, "undecided \(undecided), solved \(solved), infeasible \(infeasible)")
    }

    /// The old `bisection` check and exhaustive enumeration agree with the exact method on
    /// larger lanes-only instances (too many combinations for GLPK to be the only check).
    @Test(arguments: 0..<40)
    func lanesOnlyLargerInstances(seed: Int) throws {
        let p = instance(UInt64(1000 + seed), tasks: 5 + seed % 3, options: 5, memory: false, tradeMemory: false)
        let s = try StageBalancer.solve(p)
        let g = try StageBalancer.milp(p)
        #expect(s.method == .bisection && g.status == .optimal)
        #expect(s.initiationInterval == g.initiationInterval, "seed \(seed)")
        #expect(s.initiationInterval == StageBalancer.exhaustive(p), "seed \(seed)")
    }

    /// Issue 17: this point died on a force-unwrap of GLPK's answer. It evaluates, its split is
    /// a proven optimum, and GLPK agrees on the interval.
    @Test func issue17CrashPoint() throws {
        let w = try BuiltinWorkload.gpt2Medium.make(parameters: ["sequence_length": 256])
        var k = Constraints()
        k.dspFraction = 0.8; k.bramFraction = 0.8; k.uramFraction = 0.8; k.lutFraction = 0.7; k.ffFraction = 0.7
        var model = try FPGAModel(workload: w, platform: PlatformCatalog.u280, constraints: k)
        model.laneBalancer = StageBalancer.forModel
        let point = DesignPoint(template: .dataflow, lanes: 192, allocation: .balanced, weightLoad: .buffered, wordBits: 1024)
        let p = StageBalancer.problem(model, point)
        let exact = try StageBalancer.solve(p)
        let glpk = try StageBalancer.milp(p)
        #expect(exact.method == .bisection && exact.status == .optimal && glpk.status == .optimal)
        #expect(exact.initiationInterval == glpk.initiationInterval)
        #expect(exact.lanes.reduce(0, +) <= 192)
        let e = model.evaluate(point)
        #expect(e.laneSplit?.state == .optimal)
        #expect(e.latencyCycles.isFinite && e.latencyCycles > 0)
    }
}

/// Solver status is always true: a GLPK solve stopped by its time limit says "feasible" with
/// its gap and bound, never "optimal"; a schedule whose stage splits are not proven is not
/// "optimal" either.
@Suite struct BalancerStatusTests {
    /// 150 tasks of 11 options each, lanes and memory both binding (a min-max program of 1,650
    /// binaries, the kind docs/glpk notes stall): GLPK solves the relaxation but does not close the
    /// gap in a second, and holds the fewest-lanes incumbent.
    func hardInstance() -> StageBalancer.Problem {
        var r = Lcg(s: 42)
        let menu = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48]
        let options = (0..<150).map { _ -> [StageBalancer.Option] in
            let work = Double(10_000 + r.below(90_000))
            return menu.map { l in
                StageBalancer.Option(lanes: l, bram18k: Double(l / 4 + r.below(3)), cycles: (work / Double(l)).rounded(.up) + Double(r.below(97)))
            }
        }
        return StageBalancer.Problem(tasks: (0..<150).map { "t\($0)" }, options: options, laneBudget: 150 * 9, bramBudget: 150 * 2.5)
    }

    @Test func aTimeLimitGivesFeasibleWithItsGap() throws {
        let p = hardInstance()
        let s = try StageBalancer.milp(p, timeLimitSeconds: 1)
        #expect(s.status == .feasible)
        let gap = try #require(s.gap)
        let bound = try #require(s.bound)
        #expect(gap > 0 && bound < s.initiationInterval)
        let text = s.splitStatus.description
        #expect(text.hasPrefix("feasible, gap ") && text.contains("bound ") && !text.contains("optimal"), "\(text)")
        #expect(!s.splitStatus.isProven)
    }

    /// A stage split the balancer did not prove makes every solver's schedule "feasible", with
    /// the splits named in the note and in the status a design row shows (stub balancers: one
    /// that stops at a limit, one that fails).
    @Test(arguments: ReconfigurationScheduler.Solver.allCases)
    func unprovenStageSplitsMakeAScheduleFeasible(solver: ReconfigurationScheduler.Solver) throws {
        var model = FPGAModel(workload: try BuiltinWorkload.mlp.make(), platform: PlatformCatalog.u280)
        let p = DesignPoint(template: .reconfigurable, lanes: 256, computeUnits: 3, scratchpadKiB: 8192)
        var o = ReconfigurationScheduler.Options()
        o.solver = solver
        o.balanceStages = true
        let proven = try ReconfigurationScheduler.solve(model, p, options: o)
        #expect(proven.status == .optimal && proven.solverStatus == .optimal)
        model.stageBalancer = { _, _, _ in
            BalancedSplit(lanes: nil, status: LaneSplitStatus(state: .feasible, method: "GLPK", gap: 0.0123, boundCycles: 1000, detail: "time limit reached"))
        }
        let unproven = try ReconfigurationScheduler.solve(model, p, options: o)
        #expect(unproven.status == .feasible)
        #expect(unproven.note.contains("not proven optimal: ") && unproven.note.contains("(largest gap 1.23% of a stage's initiation interval)"), "\(unproven.note)")
        #expect(unproven.solverStatus.text.hasPrefix("feasible (no bound: "), "\(unproven.solverStatus.text)")
        model.stageBalancer = { _, _, _ in BalancedSplit(lanes: nil, status: .fallback("forced failure")) }
        let failed = try ReconfigurationScheduler.solve(model, p, options: o)
        #expect(failed.status == .feasible && failed.note.contains("forced failure"))
        guard case .fallback(let reason) = failed.solverStatus else { Issue.record("\(failed.solverStatus.text)"); return }
        #expect(reason.contains("the stage balancer failed on") && reason.contains("forced failure"))
    }
}

@Suite struct BalancerBudgetTests {
    /// A dataflow design has no scratchpad, so the balancer's BRAM budget is the constraint's
    /// share of the part less the shell, whatever the (foreign) scratchpad knob says. On the
    /// ZCU102 (no URAM) the default 4 MiB scratchpad used to be set aside, leaving a negative
    /// budget: every balanced design fell back to the proportional split.
    @Test func dataflowBudgetSetsNoScratchpadAside() throws {
        var k = Constraints()
        k.bramFraction = 0.9
        let zcu = PlatformCatalog.zcu102
        var model = FPGAModel(workload: try BuiltinWorkload.mlp.make(), platform: zcu, constraints: k)
        model.laneBalancer = StageBalancer.forModel
        let point = DesignPoint(template: .dataflow, lanes: 1024, allocation: .balanced, scratchpadKiB: 4096)
        let budget = model.balancerMemoryBudget(point)
        #expect(budget.bram18k == (0.9 * Double(zcu.bram18k)).rounded(.down) - Double(zcu.shell.bram18k))
        #expect(model.evaluate(point).laneSplit?.state == .optimal)
    }
}
