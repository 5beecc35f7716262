import Foundation
import IntarsiaCore

extension StageCostTable {
    /// The solver status the balanced stage splits give a schedule chosen among `stages` (ids in
    /// the stage table: every arc of a schedule graph, or a fixed schedule's stages). `optimal`
    /// when every balanced split among them is proven (or none was asked for); `fallback` when
    /// the balancer failed on one (its proportional and uniform splits stood in, so a faster
    /// schedule may exist); else `feasible` with no bound on the schedule and the largest gap of
    /// a stage's initiation interval in the note. `names` gives a stage's task names.
    func splitStatus(over stages: some Sequence<Int32>, names: (Int32) -> String) -> SolverStatus {
        guard !unproven.isEmpty else { return .optimal }
        var asked = Set<Int32>()
        for s in stages where entries[Int(s)].balanced { asked.insert(s) }
        let hits = unproven.filter { asked.contains($0.stage) }
        let failed = hits.filter { $0.status.state == .fallback }
        if let first = failed.first {
            return .fallback(reason: SolverStatus.stageSplitFailurePrefix + " \(failed.count) of \(asked.count) stage splits (the proportional "
                             + "or uniform split stood in, so the schedule is not proven optimal); first, stage [\(names(first.stage))]: \(first.status.detail)")
        }
        guard let first = hits.first else { return .optimal }
        let worst = hits.compactMap(\.status.gap).max()
        return .feasible(gap: .infinity, note: "\(hits.count) of \(asked.count) stage splits are not proven optimal"
                         + (worst.map { String(format: " (largest gap %.2f%% of a stage's initiation interval)", $0 * 100) } ?? "")
                         + "; first, stage [\(names(first.stage))]: \(first.status)")
    }
}

extension FPGAModel {
    /// The task names of stage `id` of the reconfigurable cache's stage table, for messages.
    func stageNames(_ id: Int32) -> String {
        reconfigurableCache.tasks(ofStage: id).map { compiled.names[$0] }.joined(separator: " ")
    }
}

extension SolverStatus {
    /// How a fallback's reason starts when the stage balancer failed on a stage split.
    public static let stageSplitFailurePrefix = "the stage balancer failed on"
}
