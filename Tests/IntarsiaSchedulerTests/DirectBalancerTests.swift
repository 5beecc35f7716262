import Foundation
import Testing
import IntarsiaCore
import IntarsiaFPGA
import IntarsiaGLPK
@testable import IntarsiaScheduler

/// The balancer's direct path (staircases straight from the cost model, `directSplit`) against
/// the problem path it replaces (`problem`, then `solve`: the option lists, the bisection, GLPK
/// where memory binds).
@Suite struct DirectBalancerTests {
    /// Dataflow points of a workload across the knobs the cost model reads.
    func points(lanes: [Int]) -> [DesignPoint] {
        var out: [DesignPoint] = []
        for l in lanes {
            for load in [WeightLoad.doubleBuffered, .buffered, .blocking] {
                for word in [256, 1024] {
                    for (flatten, pipelined) in [(true, true), (false, true), (true, false)] {
                        out.append(DesignPoint(template: .dataflow, lanes: l, allocation: .balanced, weightLoad: load,
                                               flattenLoops: flatten, wordBits: word, pipelined: pipelined))
                    }
                }
            }
        }
        return out
    }

    func model(_ w: BuiltinWorkload, _ platform: FPGAPlatform, bram: Double) throws -> FPGAModel {
        var k = Constraints()
        k.bramFraction = bram
        k.uramFraction = bram
        return FPGAModel(workload: try w.make(), platform: platform, constraints: k)
    }

    /// The same lanes and status as the problem path on every point, with the lanes budget
    /// too small (fewer lanes than tasks, where a workload has more than three MAC tasks),
    /// roomy, and a tight BRAM share on the ZCU102 (no URAM).
    @Test(arguments: [BuiltinWorkload.gpt2Block, .mlp, .cnn4l, .selfAttention, .vae, .resnet20Cifar])
    func sameSplitAsTheProblemPath(workload: BuiltinWorkload) throws {
        var outcomes: [LaneSplitStatus.State: Int] = [:]
        for (platform, bram) in [(PlatformCatalog.u280, 1.0), (PlatformCatalog.zcu102, 0.9), (PlatformCatalog.zcu102, 0.3)] {
            let m = try model(workload, platform, bram: bram)
            let members = m.compiled.tasks.indices.filter { m.compiled.tasks[$0].isMAC }
            for p in points(lanes: [3, 64, 192, 1000, 2048]) {
                let direct = StageBalancer.forModel(m, p)
                let general = StageBalancer.split(m, members, StageBalancer.problem(m, p))
                #expect(direct.lanes == general.lanes, "\(workload) \(p)")
                #expect(direct.status == general.status, "\(workload) \(p): \(direct.status) vs \(general.status)")
                outcomes[direct.status.state, default: 0] += 1
            }
        }
        #expect(outcomes[.optimal, default: 0] > 0, "\(outcomes)")
    }

    /// A stage's split (the reconfigurable template's pipelined stages) by the direct path
    /// equals the problem path's.
    @Test func stageSplitsEqualTheProblemPath() throws {
        let m = try model(.selfAttention, PlatformCatalog.u280, bram: 1)
        let macs = m.compiled.tasks.indices.filter { m.compiled.tasks[$0].isMAC }
        for stage in [Array(macs.prefix(2)), Array(macs.suffix(3)), macs] {
            let members = stage.sorted()
            for l in [2, 128, 1024] {
                let p = DesignPoint(template: .reconfigurable, lanes: l, computeUnits: 4)
                let direct = StageBalancer.splitForStage(m, p, stage)
                let general = StageBalancer.split(m, members, StageBalancer.problem(m, p, stage: stage))
                #expect(direct.lanes == general.lanes && direct.status == general.status, "\(stage) \(l)")
            }
        }
    }

    /// `appendSteps` keeps exactly the options of the merged lane list that are faster than
    /// every option before them, with those options' figures.
    @Test func stepsAreTheStaircaseOfTheOptions() throws {
        let m = try model(.mlp, PlatformCatalog.u280, bram: 1)
        let p = DesignPoint(template: .dataflow, lanes: 512, allocation: .balanced, weightLoad: .buffered)
        let costs = m.macTaskCosts(p)
        var r = Lcg(s: 5)
        for task in m.compiled.tasks.indices where m.compiled.tasks[task].isMAC {
            for _ in 0..<20 {
                let sorted = Set((0..<(1 + r.below(30))).map { _ in 1 + r.below(600) }).sorted()
                let a = 1 + r.below(600), b = r.below(2) == 0 ? a : 1 + r.below(600)
                var steps = LaneSteps(capacity: 0)
                let fastest = costs.appendSteps(task, lanes: sorted, merging: a, b, into: &steps)
                let all = Set(sorted + [a, b]).sorted()
                let options = costs.options(task, lanes: all)
                var expected: [(Int, LaneOption)] = []
                for (j, o) in options.enumerated() where o.cycles < (expected.last?.1.cycles ?? .infinity) { expected.append((j, o)) }
                #expect(steps.option == expected.map(\.0))
                #expect(steps.steps == expected.map(\.1))
                #expect(fastest == expected.last!.1.cycles)
            }
        }
    }
}
