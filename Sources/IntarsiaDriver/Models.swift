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
                return try? ReconfigurationScheduler.solve(m, p, options: o).schedule
            }
        }
        return model
    }
}
