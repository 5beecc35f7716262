/// Eyeriss-like row-stationary: a PE per (filter row, output row), each running 1-D convolutions.
public enum EyerissDataflow: ASICDataflowTemplate {
    public static let identifier = "eyeriss"
    public static let summary = "Eyeriss-like row-stationary: each PE runs a 1-D convolution of a filter row over an input row"
    public static let knobs = ASICKnobRule.standardSet
    public static let systolicForm: SystolicForm? = nil
    public static let stepWalk = ASICStepWalk.none
    public static let sramAccess = SRAMAccessPattern.perReread

    /// Each PE runs a 1-D convolution: one filter row over one input row, S MACs per output pixel
    /// of its output row; K·(C/G)·R·OH such rows share the PEs.
    public static func computeCycles(_ l: ConvLayer, on a: ASICAccelerator) -> (cycles: Double, folds: (rows: Int, cols: Int)) {
        let rowsOfWork = l.batch * l.filters * (l.channels / l.groups) * l.kernelH * l.outH
        let passes = ASICModel.ceilDiv(rowsOfWork, a.processingElements)
        return (Double(passes * l.kernelW * l.outW + l.kernelH), (passes, 1))
    }
    public static func fillCycles(_ a: ASICAccelerator) -> Double { 0 }
    /// Row stationary keeps filter rows and input rows in the PEs' register files; weights come
    /// once per pass over the output rows, inputs once per filter pass.
    public static func bufferRereads(_ l: ConvLayer, on a: ASICAccelerator, folds: (rows: Int, cols: Int)) -> OperandRereads {
        let pes = a.processingElements
        return OperandRereads(weights: Double(max(1, ASICModel.ceilDiv(l.outH * l.batch, max(1, pes / max(l.kernelH, 1))))),
                              inputs: Double(max(1, ASICModel.ceilDiv(l.filters, max(1, pes / max(l.kernelH * l.outH, 1))))), partialSums: 0)
    }
    public static func weightBytesPerPE(_ l: ConvLayer, on a: ASICAccelerator) -> Double { l.weightBytes / Double(a.processingElements) }
    /// Three int16 operand pairs (filter row, input row window) per PE.
    public static func minimumTileBytes(rows r: Int, columns c: Int) -> Double { Double(r * c) * 3 * 2 }
    /// A filter row, an input row window and a partial sum of a 3×3 kernel (int16 operands).
    public static let minimumL1Bytes = Double(3 * 2 + 3 * 2 + 4)
}
