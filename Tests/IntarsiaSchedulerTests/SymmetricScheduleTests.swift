import Testing
import IntarsiaCore
import IntarsiaFPGA
@testable import IntarsiaScheduler

/// On graphs of identical parallel heads, the schedule graph reduced by symmetry reaches the
/// optimum of exhaustive enumeration (which shares no code with it beyond the stage model), of
/// the whole graph and of GLPK, and its schedule evaluates to the reported latency.
@Suite struct SymmetricScheduleTests {
    let u280 = PlatformCatalog.u280

    /// `heads` chains qk → softmax → sv, each reading the input, or a shared projection `p`
    /// with an output task `o` reading every head when `shared`.
    static func heads(_ heads: Int, shared: Bool) throws -> Workload {
        let l = 32, dh = 16
        var list: [(Task, [Workload.Input])] = []
        if shared { list.append((Task(name: "p", op: .matmul(m: l, k: 64, n: heads * dh, weightsOffChip: true), dataType: .int8), [.init("input", .stream)])) }
        for h in 0..<heads {
            list.append((Task(name: "qk\(h)", op: .matmul(m: l, k: dh, n: l, weightsOffChip: !shared), dataType: .int8),
                         [.init(shared ? "p" : "input", .stream)]))
            list.append((Task(name: "softmax\(h)", op: .softmax(rows: l, cols: l), dataType: .int8), [.init("qk\(h)", .stream)]))
            list.append((Task(name: "sv\(h)", op: .matmul(m: l, k: l, n: dh, weightsOffChip: true), dataType: .int8),
                         [.init("softmax\(h)", .barrier)] + (shared ? [.init("p", .either)] : [])))
        }
        if shared { list.append((Task(name: "o", op: .matmul(m: l, k: heads * dh, n: 64, weightsOffChip: true), dataType: .int8), (0..<heads).map { .init("sv\($0)", .stream) })) }
        return try Workload(name: "heads\(heads)", tasks: list)
    }

    @Test(arguments: [(2, false), (3, false), (2, true)])
    func reducedGraphEqualsExhaustive(heads: Int, shared: Bool) throws {
        let model = FPGAModel(workload: try Self.heads(heads, shared: shared), platform: u280)
        for units in [1, 2, 3] {
            for (lanes, scratch, spill) in [(64, 0, SpillPolicy.overflow), (4096, 8192, .always)] {
                let p = DesignPoint(template: .reconfigurable, lanes: lanes, computeUnits: units, scratchpadKiB: scratch, spill: spill)
                var o = ReconfigurationScheduler.Options()
                o.solver = .dp
                let dp = try ReconfigurationScheduler.solve(model, p, options: o)
                o.solver = .glpk
                let glpk = try ReconfigurationScheduler.solve(model, p, options: o)
                o.reduceSymmetry = false
                let whole = try ReconfigurationScheduler.solve(model, p, options: o)
                o.solver = .exhaustive
                let all = try ReconfigurationScheduler.solve(model, p, options: o)
                let tag = "\(heads) heads units \(units) lanes \(lanes)"
                #expect(dp.space == .general && dp.arcs < whole.arcs, "\(tag)")
                #expect(glpk.status == .optimal, "\(tag)")
                for (name, x) in [("dp", dp.cycles), ("glpk", glpk.cycles), ("whole graph", whole.cycles)] {
                    #expect(abs(x - all.cycles) <= 1e-12 * all.cycles, "\(tag): \(name) \(x) exhaustive \(all.cycles)")
                }
                var none = NoRecorder()
                for s in [dp, glpk] {
                    let e = model.evaluate(p, schedule: s.schedule, recorder: &none)
                    #expect(abs(e.latencyCycles - s.cycles) <= 1e-12 * s.cycles, "\(tag)")
                }
            }
        }
    }
}
