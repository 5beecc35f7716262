/// Systolic input-stationary (SCALE-Sim): input windows stay in the R×C array, filters stream.
public enum SystolicISDataflow: ASICDataflowTemplate {
    public static let identifier = "systolic_is"
    public static let summary = "systolic input-stationary R×C array (SCALE-Sim): input windows stay in the array, filters stream"
    public static let knobs = ASICKnobRule.systolicSet
    public static let systolicForm: SystolicForm? = .inputStationary
    public static let stepWalk = ASICStepWalk.none
    public static let sramAccess = SRAMAccessPattern.perReread

    /// SCALE-Sim's closed form (peers.md): with Sr = R·S·C, Sc = OH·OW, T = K/G and `folds =
    /// ceil(Sr/R)·ceil(Sc/C)`, `folds·(T + 2R + C − 2) − 1`; groups one after another.
    public static func computeCycles(_ l: ConvLayer, on a: ASICAccelerator) -> (cycles: Double, folds: (rows: Int, cols: Int)) {
        let r = a.rows, c = a.columns, g = l.groups
        let fr = ASICModel.ceilDiv(l.reduction, r), fc = ASICModel.ceilDiv(l.outputPixels, c)
        return (Double(g * (fr * fc * (l.filters / g + 2 * r + c - 2) - 1)), (fr, fc))
    }
    public static func fillCycles(_ a: ASICAccelerator) -> Double { 0 }
    /// Weights re-read per column (pixel) fold, partial sums per row (reduction) fold.
    public static func bufferRereads(_ l: ConvLayer, on a: ASICAccelerator, folds: (rows: Int, cols: Int)) -> OperandRereads {
        OperandRereads(weights: Double(folds.cols), inputs: 1, partialSums: Double(max(folds.rows - 1, 0)))
    }
    public static func weightBytesPerPE(_ l: ConvLayer, on a: ASICAccelerator) -> Double { l.weightBytes / Double(a.processingElements) }
    /// The stationary input of every PE and a row of the streaming operands (int16 operands).
    public static func minimumTileBytes(rows r: Int, columns c: Int) -> Double { Double(r * c) * 2 + Double(r + c) * 2 }
    /// The stationary operand (int16) and a 32-bit partial sum.
    public static let minimumL1Bytes: Double = 2 + 4
}
