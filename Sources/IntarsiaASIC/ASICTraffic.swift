import Foundation
import IntarsiaCore

extension ASICModel {
    /// SCALE-Sim's DRAM traffic in its CALC mode (validation/peers/scalesim-calc.csv): each of
    /// its operand matrices (the im2col input, the filters, the outputs) is read once when it fits
    /// the active half of its scratchpad (a third of the buffer), else once per fold of the array
    /// dimension that does not keep it (WS and OS re-stream the input per filter fold, OS the
    /// filters per pixel fold, IS the filters per pixel fold); WS and IS write the outputs once per
    /// row fold (partial sums), OS once. Per group. SCALE-Sim counts an address once per entry
    /// into the window, so where the im2col input repeats elements (kernel larger than stride) and
    /// they stay in the window it reads less than this (docs/ASIC.md).
    static func scaleSimCalcTraffic(_ l: ConvLayer, on a: ASICAccelerator, folds: (rows: Int, cols: Int)) -> TensorTraffic {
        let g = Double(l.groups), kg = Double(l.filters / l.groups)
        let pixels = Double(l.outputPixels), red = Double(l.reduction)
        let im2col = pixels * red, filters = red * kg, outputs = pixels * kg
        let half = a.bufferKiB * 1024 / 3 / 2 / l.bytesPerElement
        func streamed(_ size: Double, _ times: Int) -> Double { size <= half ? size : size * Double(times) }
        switch a.dataflow.systolicForm {
        case .weightStationary?:
            return TensorTraffic(inputReads: g * streamed(im2col, folds.cols), weightReads: g * filters, outputWrites: g * outputs * Double(folds.rows))
        case .outputStationary?:
            return TensorTraffic(inputReads: g * streamed(im2col, folds.cols), weightReads: g * streamed(filters, folds.rows), outputWrites: g * outputs)
        case .inputStationary?, nil:  // the spec reader allows `memory: scalesim` with systolic forms only
            return TensorTraffic(inputReads: g * im2col, weightReads: g * streamed(filters, folds.cols), outputWrites: g * outputs * Double(folds.rows))
        }
    }

    /// Elements each tensor moves between the global buffer and the PEs: every operand read once
    /// per fold of the array dimension that does not keep it (the dataflow's `bufferRereads`),
    /// per group where groups run one after another.
    @inline(__always)
    static func bufferTraffic(_ l: ConvLayer, on a: ASICAccelerator, folds: (rows: Int, cols: Int)) -> TensorTraffic {
        let bytes = l.bytesPerElement
        let wElems = l.weightBytes / bytes, iElems = l.inputBytes / bytes, oElems = Double(l.outputElements)
        if l.isVector { return TensorTraffic(inputReads: iElems, weightReads: 0, outputWrites: oElems, partialSumReads: 0) }
        let reads = a.dataflow.descriptor.bufferRereads(l, on: a, folds: folds)
        let wReads = reads.weights, iReads = reads.inputs, pReads = reads.partialSums
        return TensorTraffic(inputReads: iElems * iReads, weightReads: wElems * wReads, outputWrites: oElems * (1 + pReads), partialSumReads: oElems * pReads)
    }

    /// Whether a PE's share of a layer's weights (its dataflow's `weightBytesPerPE`) fits its L1.
    @inline(__always)
    static func weightsFitL1(_ l: ConvLayer, on a: ASICAccelerator) -> Bool { a.dataflow.descriptor.weightBytesPerPE(l, on: a) <= a.l1Bytes }

    /// Bytes the buffer must hold for one fold of the array (the dataflow's `minimumTileBytes`).
    public static func minimumTileBytes(_ d: ASICDataflow, rows r: Int, columns c: Int) -> Double { d.descriptor.minimumTileBytes(rows: r, columns: c) }

    /// Bytes a PE's L1 must hold (the dataflow's `minimumL1Bytes`).
    public static func minimumL1Bytes(_ d: ASICDataflow) -> Double { d.descriptor.minimumL1Bytes }

    /// Area of one accelerator: its PEs (each with Eyeriss's 512-byte register file; a larger
    /// L1 adds SRAM area for the rest), its buffer, and its vector unit (a lane costs a tenth
    /// of a PE: an adder and a comparator without the multiplier, an assumption).
    public static func areaSquareMillimetres(_ a: ASICAccelerator, technology t: ASICTechnology) -> Double {
        let extraL1KiB = max(0, a.l1Bytes - 512) / 1024
        return Double(a.processingElements) * (t.peAreaSquareMillimetres + extraL1KiB * t.sramAreaPerKiBSquareMillimetres)
            + a.bufferKiB * t.sramAreaPerKiBSquareMillimetres + Double(a.vectorLanes) * t.peAreaSquareMillimetres / 10
    }
}
