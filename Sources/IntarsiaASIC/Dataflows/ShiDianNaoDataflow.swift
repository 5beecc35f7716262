/// ShiDianNao-like output-stationary: parallel over output rows and columns.
public enum ShiDianNaoDataflow: ASICDataflowTemplate {
    public static let identifier = "shidiannao"
    public static let summary = "ShiDianNao-like: a rows × columns tile of output pixels, one MAC of each output a cycle"
    public static let knobs = ASICKnobRule.standardSet
    public static let systolicForm: SystolicForm? = nil
    public static let stepWalk = ASICStepWalk.outputTileClusters
    public static let sramAccess = SRAMAccessPattern.perReread

    /// A rows × columns tile of output pixels per pass, one MAC of every output each cycle; a row
    /// of `columns` PEs spans `columns` input columns (its input window), which hold ⌊(columns − 1
    /// + stride) / stride⌋ outputs (MAESTRO's ShiDianNao-like mapping). Groups only shorten each
    /// output's reduction.
    public static func computeCycles(_ l: ConvLayer, on a: ASICAccelerator) -> (cycles: Double, folds: (rows: Int, cols: Int)) {
        let perRow = max(1, (a.columns - 1 + l.stride) / l.stride)
        let fy = ASICModel.ceilDiv(l.outH, a.rows), fx = ASICModel.ceilDiv(l.outW, perRow)
        return (Double(l.batch * fy * fx * l.filters * l.reduction) + fillCycles(a), (fy, fx))
    }
    /// Rows plus columns to load and drain the output tile.
    public static func fillCycles(_ a: ASICAccelerator) -> Double { Double(a.rows + a.columns) }
    /// Weights re-read per row fold, inputs per column fold.
    public static func bufferRereads(_ l: ConvLayer, on a: ASICAccelerator, folds: (rows: Int, cols: Int)) -> OperandRereads {
        OperandRereads(weights: Double(folds.rows), inputs: Double(folds.cols), partialSums: 0)
    }
    public static func weightBytesPerPE(_ l: ConvLayer, on a: ASICAccelerator) -> Double { l.weightBytes / Double(a.processingElements) }
    /// A 32-bit accumulator per PE and a row of the streaming operands (int16).
    public static func minimumTileBytes(rows r: Int, columns c: Int) -> Double { Double(r * c) * 4 + Double(r + c) * 2 }
    /// The stationary operand (int16) and a 32-bit partial sum.
    public static let minimumL1Bytes: Double = 2 + 4
}
