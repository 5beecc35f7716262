/// Systolic output-stationary (SCALE-Sim): each PE of the R×C array accumulates one output.
public enum SystolicOSDataflow: ASICDataflowTemplate {
    public static let identifier = "systolic_os"
    public static let summary = "systolic output-stationary R×C array (SCALE-Sim): each PE accumulates one output"
    public static let knobs = ASICKnobRule.systolicSet
    public static let systolicForm: SystolicForm? = .outputStationary
    public static let stepWalk = ASICStepWalk.none
    public static let sramAccess = SRAMAccessPattern.perReread

    /// SCALE-Sim's closed form (peers.md): with Sr = OH·OW, Sc = K, T = R·S·C and `folds =
    /// ceil(Sr/R)·ceil(Sc/C)`, `folds·(T + R + C − 2) − 1`; groups one after another.
    public static func computeCycles(_ l: ConvLayer, on a: ASICAccelerator) -> (cycles: Double, folds: (rows: Int, cols: Int)) {
        let r = a.rows, c = a.columns, g = l.groups
        let fr = ASICModel.ceilDiv(l.outputPixels, r), fc = ASICModel.ceilDiv(l.filters / g, c)
        return (Double(g * (fr * fc * (l.reduction + r + c - 2) - 1)), (fr, fc))
    }
    public static func fillCycles(_ a: ASICAccelerator) -> Double { 0 }
    /// Weights re-read per row (pixel) fold, inputs per column (filter) fold.
    public static func bufferRereads(_ l: ConvLayer, on a: ASICAccelerator, folds: (rows: Int, cols: Int)) -> OperandRereads {
        OperandRereads(weights: Double(folds.rows), inputs: Double(folds.cols), partialSums: 0)
    }
    public static func weightBytesPerPE(_ l: ConvLayer, on a: ASICAccelerator) -> Double { l.weightBytes / Double(a.processingElements) }
    /// A 32-bit accumulator per PE and a row of the streaming operands (int16).
    public static func minimumTileBytes(rows r: Int, columns c: Int) -> Double { Double(r * c) * 4 + Double(r + c) * 2 }
    /// The stationary operand (int16) and a 32-bit partial sum.
    public static let minimumL1Bytes: Double = 2 + 4
}
