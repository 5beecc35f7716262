import IntarsiaFPGA
import IntarsiaScheduler
import IntarsiaSearch
import IntarsiaSpec

extension DesignSpec {
    /// The spec's cost model with the solvers plugged in: the stage balancer for
    /// `allocation: balanced`, and GLPK for the reconfigurable schedule when
    /// `search.scheduler: glpk` (which also honours `constraints.offchip_bytes`).
    var solvingModel: FPGAModel {
        var model = self.model
        model.laneBalancer = StageBalancer.forModel
        if search.balanceStages { model.stageBalancer = StageBalancer.forStage }
        if search.scheduler == .glpk {
            let budget = constraints.maxOffChipBytes.map { $0 / Double(workload.repetitions) }
            model.reconfigurableScheduler = { m, p in
                var o = ReconfigurationScheduler.Options()
                o.solver = .glpk
                o.maxOffChipBytes = budget
                o.balanceStages = self.search.balanceStages
                // A failed solve returns nil: the model falls back to the shortest path and the
                // design's solver_status says `fallback`.
                guard let s = try? ReconfigurationScheduler.solve(m, p, options: o) else { return nil }
                return ScheduleChoice(schedule: s.schedule, space: s.space,
                                      status: s.status == .optimal ? .optimal : .feasible(gap: s.gap ?? .infinity))
            }
        }
        return model
    }
}
