import Foundation

/// The features a learned predictor reads from a NAS-Bench-201 cell (BRP-NAS and HELP use the
/// same kinds): the cell's graph encoding (each edge's operation, one-hot), the operators it runs
/// by kind and position under each treatment of dead operations (`NB201Features.Treatment`), the
/// MACs and parameters of its convolutions on the CIFAR macro network (five cells per stage at
/// 16, 32 and 64 channels and 32, 16 and 8 pixels) with dead ones run and pruned, its depth (the
/// most convolutions and pools on a path from the cell's input to its output), whether the input
/// reaches the output at all, the dead operations by kind (those that run under `execute` but not
/// under `prune`) and the in-degree of nodes 1 to 3 (edges into them that are not `none`).
public enum NB201PredictorFeatures {
    /// 30 one-hot + 2 × 24 operator counts + 4 (MACs, parameters, each run and pruned) + depth,
    /// then 24 operator counts under `reach` + connected + 4 dead counts + 3 in-degrees.
    public static let count = 30 + 48 + 4 + 1 + 24 + 1 + 4 + 3

    public static func features(_ cell: NB201Cell) -> [Float] {
        var f: [Float] = []
        f.reserveCapacity(count)
        let ops = NB201Cell.Operation.allCases
        for op in cell.edges { for o in ops { f.append(o == op ? 1 : 0) } }
        for t in [NB201Features.Treatment.execute, .prune] { f += NB201Features.operators(cell, t).map(Float.init) }
        for t in [NB201Features.Treatment.execute, .prune] {
            let (macs, params) = convolutionSize(cell, t)
            f += [Float(macs), Float(params)]
        }
        let longest = depth(cell)
        f.append(Float(max(longest, 0)))
        f += NB201Features.operators(cell, .reach).map(Float.init)
        f.append(longest >= 0 ? 1 : 0)
        let executed = NB201Features.runs(cell, .execute), live = NB201Features.runs(cell, .prune)
        for kind in NB201Features.kinds {
            f.append(Float(cell.edges.indices.filter { cell.edges[$0] == kind && executed[$0] && !live[$0] }.count))
        }
        for node in 1...3 {
            f.append(Float(NB201Cell.edgeEnds.indices.filter { NB201Cell.edgeEnds[$0].to == node && cell.edges[$0] != .none }.count))
        }
        return f
    }

    /// MACs and weights of the cell's convolutions over the macro network's 15 cells.
    static func convolutionSize(_ cell: NB201Cell, _ treatment: NB201Features.Treatment) -> (macs: Double, params: Double) {
        let run = NB201Features.runs(cell, treatment)
        var macs = 0.0, params = 0.0
        for (c, s) in NB201Network.stages(inputSize: 32) {
            for (e, op) in cell.edges.enumerated() where run[e] {
                let k = op == .conv3x3 ? 9.0 : op == .conv1x1 ? 1.0 : 0
                macs += 5 * k * Double(c * c * s * s)
                params += 5 * k * Double(c * c)
            }
        }
        return (macs, params)
    }

    /// The most computing edges (convolutions and pools) on a path from node 0 to node 3 through
    /// edges that are not `none`; -1 when no such path reaches node 3 (the feature is then 0).
    static func depth(_ cell: NB201Cell) -> Int {
        var longest = [0, Int.min, Int.min, Int.min]
        for (e, ends) in NB201Cell.edgeEnds.enumerated() where cell.edges[e] != .none && longest[ends.from] != Int.min {
            let step = cell.edges[e] == .skipConnect ? 0 : 1
            longest[ends.to] = max(longest[ends.to], longest[ends.from] + step)
        }
        return longest[3] == Int.min ? -1 : longest[3]
    }
}
