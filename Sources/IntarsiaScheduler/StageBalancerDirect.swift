import IntarsiaCore
import IntarsiaFPGA

/// The balanced split of a design point straight from the cost model: the staircases of the
/// exact bisection built without the problem's per-task option lists (what `problem` and then
/// `exact` do, for the same split and status, bit for bit), the options of tasks with the same
/// facts and lanes worked out once and shared, and the buffer blocks worked out only for the
/// options a staircase keeps. Where memory binds and the staircase walk cannot decide, the
/// problem is built and solved as before (general bisection, then GLPK).
extension StageBalancer {
    /// The staircases of `members` (MAC task indices, ascending) sharing the point's lanes and
    /// the memory's channels, as `Staircases(problem(model, point, only: members))` builds them.
    static func staircases(_ model: FPGAModel, _ point: DesignPoint, members: [Int], granules: Int = 32) -> Staircases {
        let w = model.compiled
        let lanesList = laneCounts(lanes: point.lanes, granules: granules)
        var macSum = 0.0
        for i in members { macSum += w.tasks[i].macs }
        let costs = model.macTaskCosts(point, sharing: members.count)
        let uniform = max(1, point.lanes / max(members.count, 1))
        var s = Staircases(steps: LaneSteps(capacity: (lanesList.count + 2) * min(members.count, 8)), tasks: members.count)
        // Tasks with the same facts and the same proportional lanes share one staircase.
        var shared: [(task: Int, proportional: Int, entry: Int)] = []
        for i in members {
            let proportional = proportionalLanes(point.lanes, macs: w.tasks[i].macs, macSum: macSum)
            if let same = shared.first(where: { $0.proportional == proportional && costs.sameOptions($0.task, i) }) {
                s.addTask(sharing: same.entry)
                continue
            }
            let from = s.steps.count
            let fastest = costs.appendSteps(i, lanes: lanesList, merging: uniform, proportional, into: &s.steps)
            shared.append((i, proportional, s.entries))
            s.addTask(from: from, to: s.steps.count, fastest: fastest)
        }
        return s
    }

    /// The balanced split of `members` by the exact bisection over their staircases; `general`
    /// (the problem built and solved) where the walk cannot decide because memory binds.
    static func directSplit(_ model: FPGAModel, _ point: DesignPoint, _ members: [Int], general: () -> BalancedSplit) -> BalancedSplit {
        var lanes = [Double](repeating: 0, count: model.compiled.tasks.count)
        guard !members.isEmpty else {
            return BalancedSplit(lanes: lanes, status: Solution.bisected(choice: [], lanes: [], interval: 0).splitStatus)
        }
        let s = staircases(model, point, members: members)
        let memory = model.balancerMemoryBudget(point)
        switch s.bisect(laneBudget: point.lanes, bramBudget: memory.bram18k, uramBudget: memory.uram) {
        case .optimal(let steps, let interval):
            for (k, i) in members.enumerated() { lanes[i] = Double(s.steps.steps[steps[k]].lanes) }
            return BalancedSplit(lanes: lanes, status: Solution.bisected(choice: [], lanes: [], interval: interval).splitStatus)
        case .lanesShort(let needed):
            return BalancedSplit(lanes: nil, status: .infeasible(lanesShortText(needed, budget: point.lanes)))
        case .memoryShort:
            return general()
        }
    }
}
