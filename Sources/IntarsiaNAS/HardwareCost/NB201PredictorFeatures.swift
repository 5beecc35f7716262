import Foundation

/// The features a learned predictor reads from a NAS-Bench-201 cell (BRP-NAS and HELP use the
/// same kinds): the cell's graph encoding (each edge's operation, one-hot), the operators it runs
/// by kind and position with dead ones run and pruned (`NB201Features`), the MACs and parameters
/// of its convolutions on the CIFAR macro network (five cells per stage at 16, 32 and 64 channels
/// and 32, 16 and 8 pixels), both ways, and its depth (the most convolutions and pools on a path
/// from the cell's input to its output).
public enum NB201PredictorFeatures {
    /// 30 one-hot + 2 × 24 operator counts + 4 (MACs, parameters, each run and pruned) + depth.
    public static let count = 30 + 48 + 4 + 1

    public static func features(_ cell: NB201Cell) -> [Float] {
        var f: [Float] = []
        f.reserveCapacity(count)
        let ops = NB201Cell.Operation.allCases
        for op in cell.edges { for o in ops { f.append(o == op ? 1 : 0) } }
        for dead in NB201Network.DeadOperations.allCases { f += NB201Features.operators(cell, dead).map(Float.init) }
        for dead in NB201Network.DeadOperations.allCases {
            let (macs, params) = convolutionSize(cell, dead)
            f += [Float(macs), Float(params)]
        }
        f.append(Float(depth(cell)))
        return f
    }

    /// MACs and weights of the cell's convolutions over the macro network's 15 cells.
    static func convolutionSize(_ cell: NB201Cell, _ dead: NB201Network.DeadOperations) -> (macs: Double, params: Double) {
        let run = NB201Features.runs(cell, dead)
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
    /// edges that are not `none` (0 when none reaches it).
    static func depth(_ cell: NB201Cell) -> Int {
        var longest = [0, Int.min, Int.min, Int.min]
        for (e, ends) in NB201Cell.edgeEnds.enumerated() where cell.edges[e] != .none && longest[ends.from] != Int.min {
            let step = cell.edges[e] == .skipConnect ? 0 : 1
            longest[ends.to] = max(longest[ends.to], longest[ends.from] + step)
        }
        return max(longest[3], 0)
    }
}
