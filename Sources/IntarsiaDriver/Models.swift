import IntarsiaFPGA
import IntarsiaScheduler
import IntarsiaSearch
import IntarsiaSpec

extension DesignSpec {
    /// The spec's cost model with the solvers plugged in: the stage balancer for
    /// `allocation: balanced`, and GLPK for the reconfigurable schedule when
    /// `search.scheduler: glpk` (which also honours `constraints.offchip_bytes`).
    var solvingModel: FPGAModel { solvingModel(stageSplitFailures: nil) }

    /// `solvingModel`, with every stage split the balancer failed on (its solver gave no split;
    /// the stage keeps its proportional or uniform split) told to `stageSplitFailures`.
    func solvingModel(stageSplitFailures: FailureLog?) -> FPGAModel {
        var model = self.model
        model.laneBalancer = StageBalancer.forModel
        if search.balanceStages {
            model.stageBalancer = { m, point, stage in
                let split = StageBalancer.splitForStage(m, point, stage)
                if split.status.state == .fallback { stageSplitFailures?.add(split.status.detail) }
                return split
            }
        }
        if search.scheduler == .glpk {
            let budget = constraints.maxOffChipBytes.map { $0 / Double(workload.repetitions) }
            model.reconfigurableScheduler = { m, p in
                var o = ReconfigurationScheduler.Options()
                o.solver = .glpk
                o.maxOffChipBytes = budget
                o.balanceStages = self.search.balanceStages
                // A failed solve throws: the model falls back to the shortest path and the
                // design's solver_status says `fallback: <the solver's error>`.
                let s = try ReconfigurationScheduler.solve(m, p, options: o)
                return ScheduleChoice(schedule: s.schedule, space: s.space, status: s.solverStatus)
            }
        }
        return model
    }
}
