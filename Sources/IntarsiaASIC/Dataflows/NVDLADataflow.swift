import Foundation

/// NVDLA-like weight-stationary: parallel over output channels K (columns) and input channels C
/// (rows, reduced by an adder tree).
public enum NVDLADataflow: ASICDataflowTemplate {
    public static let identifier = "nvdla"
    public static let summary = "NVDLA-like: rows input channels reduced by an adder tree for each of columns output channels"
    public static let knobs = ASICKnobRule.standardSet
    public static let systolicForm: SystolicForm? = nil
    public static let stepWalk = ASICStepWalk.channelClusters
    public static let sramAccess = SRAMAccessPattern.im2colPerTap

    /// NVDLA's MAC array: `rows` input channels (atomic-C) reduced by an adder tree for each of
    /// `columns` output channels (atomic-K). Each cycle: one pixel and one kernel tap of a C × K
    /// tile; a layer with fewer channels leaves rows idle (ZigZag's tpu_like maps the same way: K
    /// over one array dimension, C over the other). Groups run one after another.
    public static func computeCycles(_ l: ConvLayer, on a: ASICAccelerator) -> (cycles: Double, folds: (rows: Int, cols: Int)) {
        let g = l.groups
        let fcin = ASICModel.ceilDiv(l.channels / g, a.rows), fk = ASICModel.ceilDiv(l.filters / g, a.columns)
        return (Double(g * fk * fcin * l.kernelH * l.kernelW * l.outputPixels) + fillCycles(a), (fcin, fk))
    }
    /// The adder tree over `rows` inputs.
    public static func fillCycles(_ a: ASICAccelerator) -> Double { log2(Double(a.rows)).rounded(.up) }
    /// Inputs re-read per column (K) fold, partial sums per row (C) fold.
    public static func bufferRereads(_ l: ConvLayer, on a: ASICAccelerator, folds: (rows: Int, cols: Int)) -> OperandRereads {
        OperandRereads(weights: 1, inputs: Double(folds.cols), partialSums: Double(max(folds.rows - 1, 0)))
    }
    /// One weight per kernel tap of every (C fold, K fold) of every group a PE serves.
    public static func weightBytesPerPE(_ l: ConvLayer, on a: ASICAccelerator) -> Double {
        let g = l.groups
        return Double(g * ASICModel.ceilDiv(l.channels / g, a.rows) * ASICModel.ceilDiv(l.filters / g, a.columns) * l.kernelH * l.kernelW) * l.bytesPerElement
    }
    /// The stationary weight of every PE and a row of the streaming operands (int16 operands).
    public static func minimumTileBytes(rows r: Int, columns c: Int) -> Double { Double(r * c) * 2 + Double(r + c) * 2 }
    /// The stationary operand (int16) and a 32-bit partial sum.
    public static let minimumL1Bytes: Double = 2 + 4
}
