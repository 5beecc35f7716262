import Testing
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaGLPK
@testable import IntarsiaScheduler

struct Lcg {
    var s: UInt64
    mutating func below(_ k: Int) -> Int {
        s = s &* 6364136223846793005 &+ 1442695040888963407
        return Int((s >> 33) % UInt64(k))
    }
}

@Suite struct StageBalancerTests {
    func randomProblem(_ seed: UInt64, tasks: Int, memory: Bool) -> StageBalancer.Problem {
        var r = Lcg(s: seed)
        let options = (0..<tasks).map { _ -> [StageBalancer.Option] in
            let work = Double(1000 + r.below(100_000))
            return [8, 16, 32, 64, 128].map { l in
                StageBalancer.Option(lanes: l, bram18k: memory ? Double(r.below(6)) : 0, uram: 0,
                                     cycles: (work / Double(l)).rounded(.up) + Double(r.below(50)))
            }
        }
        return StageBalancer.Problem(tasks: (0..<tasks).map { "t\($0)" }, options: options, laneBudget: 40 * tasks,
                                     bramBudget: memory ? Double(3 * tasks) : .infinity)
    }

    /// With lanes as the only resource: the least interval by bisection over the candidate
    /// intervals, each task at the fewest lanes meeting it (written apart from `StageBalancer`).
    func lanesOnlyBisection(_ problem: StageBalancer.Problem) -> Double? {
        let candidates = Set(problem.options.flatMap { $0.map(\.cycles) }).sorted()
        func lanesNeeded(_ ii: Double) -> Int? {
            var total = 0
            for opts in problem.options {
                guard let l = opts.filter({ $0.cycles <= ii }).map(\.lanes).min() else { return nil }
                total += l
            }
            return total
        }
        var lo = 0, hi = candidates.count - 1
        guard hi >= 0, let n = lanesNeeded(candidates[hi]), n <= problem.laneBudget else { return nil }
        while lo < hi {
            let mid = (lo + hi) / 2
            if let n = lanesNeeded(candidates[mid]), n <= problem.laneBudget { hi = mid } else { lo = mid + 1 }
        }
        return candidates[lo]
    }

    @Test(arguments: 0..<12)
    func milpEqualsExhaustiveAndBisection(seed: Int) throws {
        let withMemory = randomProblem(UInt64(seed), tasks: 2 + seed % 4, memory: true)
        let s = try StageBalancer.solve(withMemory)
        let g = try StageBalancer.milp(withMemory)
        #expect(s.status == .optimal && g.status == .optimal)
        #expect(abs(s.initiationInterval - g.initiationInterval) < 1e-6)
        #expect(abs(s.initiationInterval - StageBalancer.exhaustive(withMemory)!) < 1e-6)
        let lanesOnly = randomProblem(UInt64(100 + seed), tasks: 2 + seed % 5, memory: false)
        let t = try StageBalancer.solve(lanesOnly)
        #expect(abs(t.initiationInterval - lanesOnlyBisection(lanesOnly)!) < 1e-6)
        #expect(abs(t.initiationInterval - StageBalancer.exhaustive(lanesOnly)!) < 1e-6)
        #expect(t.lanes.reduce(0, +) <= lanesOnly.laneBudget)
    }

    @Test func dominatedOptionsArePruned() {
        let o = [StageBalancer.Option(lanes: 16, cycles: 100), StageBalancer.Option(lanes: 32, cycles: 100), StageBalancer.Option(lanes: 32, cycles: 60)]
        #expect(StageBalancer.prune(o) == [o[0], o[2]])
    }

    @Test func tooSmallABudgetIsReported() {
        var p = randomProblem(1, tasks: 3, memory: false)
        p.laneBudget = 10
        #expect(throws: StageBalancer.Infeasible.self) { try StageBalancer.solve(p) }
    }

    /// A balanced dataflow design's slowest MAC task is no slower than under the proportional
    /// or uniform split of the same lanes.
    @Test func balancedDataflowMinimisesTheSlowestTask() throws {
        var model = FPGAModel(workload: try BuiltinWorkload.gating.make(), platform: PlatformCatalog.u280)
        model.laneBalancer = StageBalancer.forModel
        func slowest(_ a: LaneAllocation) -> Double {
            var r = BreakdownRecorder()
            _ = model.evaluate(DesignPoint(template: .dataflow, lanes: 768, allocation: a), recorder: &r)
            return r.tasks.filter { $0.lanes > 0 }.map(\.busyCycles).max()!
        }
        #expect(slowest(.balanced) <= slowest(.proportional) + 1e-6)
        #expect(slowest(.balanced) <= slowest(.uniform) + 1e-6)
    }
}
