import Foundation

/// A NAS-Bench-201 cell as the operators its network runs, for operator tables and predictors:
/// per edge position (0→1, 0→2, 1→2, 0→3, 1→3, 2→3) the operator kind it runs (skip, 1×1
/// convolution, 3×3 convolution, 3×3 average pool), and the node sums (node 2 adds up to two
/// inputs, node 3 up to three). The cell is the same in every cell of the macro network, so a
/// position stands for its five copies at each of the three stages.
public enum NB201Features {
    /// The operator kinds, in table order.
    public static let kinds: [NB201Cell.Operation] = [.skipConnect, .conv1x1, .conv3x3, .avgPool3x3]

    /// Which edges a device runs, when some of a cell's operations compute nothing that reaches
    /// its output (the operator table's fit chooses the one that ranks its training cells best):
    /// - `execute`: every edge that is not `none` runs, as a framework runs the exported network;
    /// - `prune`: only live edges run (the edge's source receives something and its destination
    ///   reaches the cell's output), as a compiler propagating zeros runs it;
    /// - `reach`: an edge runs when its destination reaches the cell's output through edges that
    ///   are not `none`, whether or not its source receives anything (an edge fed by a dead node
    ///   still runs, on zeros; a branch that ends nowhere is dropped), as graph compilers that
    ///   remove unused outputs but do not propagate zeros run it (Pixel 3 and Raspberry Pi 4
    ///   rank so, docs/NAS.md).
    public enum Treatment: String, Sendable, CaseIterable, Hashable {
        case execute, prune, reach
        public static let acceptedNames = allCases.map(\.rawValue).joined(separator: "|")
    }

    /// Which edges run under a treatment (per edge position).
    public static func runs(_ cell: NB201Cell, _ treatment: Treatment) -> [Bool] {
        let ends = NB201Cell.edgeEnds
        let on = cell.edges.map { $0 != .none }
        guard treatment != .execute else { return on }
        let reaches = reachesOutput(cell)
        guard treatment == .prune else { return ends.indices.map { on[$0] && reaches[ends[$0].to] } }
        var reached = [true, false, false, false]
        for (e, x) in ends.enumerated() where on[e] && reached[x.from] { reached[x.to] = true }
        return ends.indices.map { on[$0] && reached[ends[$0].from] && reaches[ends[$0].to] }
    }

    /// Per node, whether it reaches the cell's output (node 3) through edges that are not `none`.
    public static func reachesOutput(_ cell: NB201Cell) -> [Bool] {
        var reaches = [false, false, false, true]
        for (e, x) in NB201Cell.edgeEnds.enumerated().reversed() where cell.edges[e] != .none && reaches[x.to] { reaches[x.from] = true }
        return reaches
    }

    /// Count features: position × kind.
    public static let operatorCount = 24

    /// The operator counts of a cell (`operatorCount` values, 0 or 1 per position and kind).
    public static func operators(_ cell: NB201Cell, _ treatment: Treatment) -> [Double] {
        var f = [Double](repeating: 0, count: operatorCount)
        let run = runs(cell, treatment)
        for (e, op) in cell.edges.enumerated() where run[e] { f[e * 4 + kinds.firstIndex(of: op)!] = 1 }
        return f
    }

    /// Count feature k's operator kind and position, e.g. (`nor_conv_3x3`, `edge2`).
    public static func operatorName(_ k: Int) -> (kind: String, position: String) { (kinds[k % 4].rawValue, "edge\(k / 4)") }
}
