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
        switch a.dataflow {
        case .systolicWS:
            return TensorTraffic(inputReads: g * streamed(im2col, folds.cols), weightReads: g * filters, outputWrites: g * outputs * Double(folds.rows))
        case .systolicOS:
            return TensorTraffic(inputReads: g * streamed(im2col, folds.cols), weightReads: g * streamed(filters, folds.rows), outputWrites: g * outputs)
        case .systolicIS, .nvdla, .shidiannao, .eyeriss:
            return TensorTraffic(inputReads: g * im2col, weightReads: g * streamed(filters, folds.cols), outputWrites: g * outputs * Double(folds.rows))
        }
    }

    /// Elements each tensor moves between the global buffer and the PEs: every operand read once
    /// per fold of the array dimension that does not keep it (weight-stationary forms re-read
    /// inputs per column fold and partial sums per row fold; output-stationary re-read weights
    /// per pixel fold and inputs per filter fold; input-stationary re-read weights per pixel
    /// fold and partial sums per row fold), per group where groups run one after another.
    @inline(__always)
    static func bufferTraffic(_ l: ConvLayer, on a: ASICAccelerator, folds: (rows: Int, cols: Int)) -> TensorTraffic {
        let bytes = l.bytesPerElement
        let wElems = l.weightBytes / bytes, iElems = l.inputBytes / bytes, oElems = Double(l.outputElements)
        if l.isVector { return TensorTraffic(inputReads: iElems, weightReads: 0, outputWrites: oElems, partialSumReads: 0) }
        var wReads = 1.0, iReads = 1.0, pReads = 0.0
        switch a.dataflow {
        case .systolicWS, .nvdla:
            iReads = Double(folds.cols); pReads = Double(max(folds.rows - 1, 0))
        case .systolicOS, .shidiannao:
            wReads = Double(folds.rows); iReads = Double(folds.cols)
        case .systolicIS:
            wReads = Double(folds.cols); pReads = Double(max(folds.rows - 1, 0))
        case .eyeriss:
            // Row stationary keeps filter rows and input rows in the PEs' register files; weights
            // come once per pass over the output rows, inputs once per filter pass.
            wReads = Double(max(1, ceilDiv(l.outH * l.batch, max(1, a.processingElements / max(l.kernelH, 1)))))
            iReads = Double(max(1, ceilDiv(l.filters, max(1, a.processingElements / max(l.kernelH * l.outH, 1)))))
        }
        return TensorTraffic(inputReads: iElems * iReads, weightReads: wElems * wReads, outputWrites: oElems * (1 + pReads), partialSumReads: oElems * pReads)
    }

    /// Whether a PE's share of a layer's weights fits its L1: on the NVDLA-like array a PE holds
    /// one weight per kernel tap of every (C fold, K fold) of every group it serves; elsewhere the
    /// weights spread evenly over the PEs.
    @inline(__always)
    static func weightsFitL1(_ l: ConvLayer, on a: ASICAccelerator) -> Bool {
        let perPE: Double
        if a.dataflow == .nvdla {
            let g = l.groups
            perPE = Double(g * ceilDiv(l.channels / g, a.rows) * ceilDiv(l.filters / g, a.columns) * l.kernelH * l.kernelW) * l.bytesPerElement
        } else {
            perPE = l.weightBytes / Double(a.processingElements)
        }
        return perPE <= a.l1Bytes
    }

    /// Bytes the buffer must hold for one fold of the array: the stationary operand of every PE
    /// and a row of the streaming ones (int16 operands, 32-bit partial sums).
    public static func minimumTileBytes(_ d: ASICDataflow, rows r: Int, columns c: Int) -> Double {
        let pes = Double(r * c)
        switch d {
        case .systolicWS, .systolicIS, .nvdla: return pes * 2 + Double(r + c) * 2
        case .systolicOS, .shidiannao: return pes * 4 + Double(r + c) * 2
        case .eyeriss: return pes * 3 * 2
        }
    }

    /// Bytes a PE's L1 must hold: the stationary operand and the partial sum (32-bit) for the
    /// weight-, output- and input-stationary forms; a filter row, an input row window and a
    /// partial sum of a 3×3 kernel for the row-stationary one (int16 operands).
    public static func minimumL1Bytes(_ d: ASICDataflow) -> Double {
        switch d {
        case .eyeriss: return Double(3 * 2 + 3 * 2 + 4)
        case .systolicWS, .systolicOS, .systolicIS, .nvdla, .shidiannao: return 2 + 4
        }
    }

    /// Area of one accelerator: its PEs (each with Eyeriss's 512-byte register file; a larger
    /// L1 adds SRAM area for the rest), its buffer, and its vector unit (a lane costs a tenth
    /// of a PE: an adder and a comparator without the multiplier, an assumption).
    public static func areaSquareMillimetres(_ a: ASICAccelerator, technology t: ASICTechnology) -> Double {
        let extraL1KiB = max(0, a.l1Bytes - 512) / 1024
        return Double(a.processingElements) * (t.peAreaSquareMillimetres + extraL1KiB * t.sramAreaPerKiBSquareMillimetres)
            + a.bufferKiB * t.sramAreaPerKiBSquareMillimetres + Double(a.vectorLanes) * t.peAreaSquareMillimetres / 10
    }
}
