/// Systolic weight-stationary (SCALE-Sim): filters stay in the R×C array, pixels stream.
public enum SystolicWSDataflow: ASICDataflowTemplate {
    public static let identifier = "systolic_ws"
    public static let summary = "systolic weight-stationary R×C array (SCALE-Sim): filters stay in the array, pixels stream"
    public static let knobs = ASICKnobRule.systolicSet
    public static let systolicForm: SystolicForm? = .weightStationary
    public static let stepWalk = ASICStepWalk.none
    public static let sramAccess = SRAMAccessPattern.perReread

    /// SCALE-Sim's closed form (peers.md, checked there on 21 ResNet-18 layers): with Sr = R·S·C
    /// (filter size), Sc = K, T = OH·OW and `folds = ceil(Sr/R)·ceil(Sc/C)`, `folds·(T + 2R + C − 2)
    /// − 1`; groups run one after another (`ASICModel.computeCycles`).
    public static func computeCycles(_ l: ConvLayer, on a: ASICAccelerator) -> (cycles: Double, folds: (rows: Int, cols: Int)) {
        let r = a.rows, c = a.columns, g = l.groups
        let fr = ASICModel.ceilDiv(l.reduction, r), fc = ASICModel.ceilDiv(l.filters / g, c)
        return (Double(g * (fr * fc * (l.outputPixels + 2 * r + c - 2) - 1)), (fr, fc))
    }
    public static func fillCycles(_ a: ASICAccelerator) -> Double { 0 }
    /// Inputs re-read per column (filter) fold, partial sums per row (reduction) fold.
    public static func bufferRereads(_ l: ConvLayer, on a: ASICAccelerator, folds: (rows: Int, cols: Int)) -> OperandRereads {
        OperandRereads(weights: 1, inputs: Double(folds.cols), partialSums: Double(max(folds.rows - 1, 0)))
    }
    public static func weightBytesPerPE(_ l: ConvLayer, on a: ASICAccelerator) -> Double { l.weightBytes / Double(a.processingElements) }
    /// The stationary weight of every PE and a row of the streaming operands (int16 operands).
    public static func minimumTileBytes(rows r: Int, columns c: Int) -> Double { Double(r * c) * 2 + Double(r + c) * 2 }
    /// The stationary operand (int16) and a 32-bit partial sum.
    public static let minimumL1Bytes: Double = 2 + 4
}
