import Foundation
import IntarsiaCore

/// The ASIC cost model: compute cycles per dataflow template (this file), buffer and off-chip
/// traffic and sizes (ASICTraffic.swift), and a layer's full cost (ASICLayerCosts.swift).
public enum ASICModel {
    @inline(__always)
    static func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }

    /// Compute cycles of a layer. The systolic forms are SCALE-Sim's closed forms (peers.md,
    /// checked there on 21 ResNet-18 layers and all three dataflows): with `folds =
    /// ceil(Sr/R)·ceil(Sc/C)`, WS and IS take `folds·(T + 2R + C − 2) − 1` and OS
    /// `folds·(T + R + C − 2) − 1`, where WS has Sr = R·S·C (filter size), Sc = K, T = OH·OW;
    /// OS has Sr = OH·OW, Sc = K, T = R·S·C; IS has Sr = R·S·C, Sc = OH·OW, T = K.
    public static func computeCycles(_ l: ConvLayer, on a: ASICAccelerator) -> (cycles: Double, folds: (rows: Int, cols: Int)) {
        if l.isVector { return (vectorCycles(l, on: a), (1, 1)) }
        let r = a.rows, c = a.columns
        let pixels = l.outputPixels, filter = l.reduction, k = l.filters
        // Grouped convolutions: a group's K/G filters reduce its own C/G channels. The systolic
        // and NVDLA-like arrays lay filters along one array dimension and the reduction along the
        // other, and the filters of a column share their inputs, so two groups never share a fold:
        // the groups run one after another, each as a layer of C/G channels and K/G filters
        // (a depthwise layer fills one row and one column of the array per group, as ZigZag's
        // tpu_like maps it). ShiDianNao-like and Eyeriss-like arrays parallelise over outputs
        // and rows of work, so groups only shorten each output's reduction.
        let g = l.groups, kg = k / g
        switch a.dataflow {
        case .systolicWS:
            let fr = ceilDiv(filter, r), fc = ceilDiv(kg, c)
            return (Double(g * (fr * fc * (pixels + 2 * r + c - 2) - 1)), (fr, fc))
        case .systolicOS:
            let fr = ceilDiv(pixels, r), fc = ceilDiv(kg, c)
            return (Double(g * (fr * fc * (filter + r + c - 2) - 1)), (fr, fc))
        case .systolicIS:
            let fr = ceilDiv(filter, r), fc = ceilDiv(pixels, c)
            return (Double(g * (fr * fc * (kg + 2 * r + c - 2) - 1)), (fr, fc))
        case .nvdla:
            // NVDLA's MAC array: `rows` input channels (atomic-C) reduced by an adder tree for each
            // of `columns` output channels (atomic-K). Each cycle: one pixel and one kernel tap of
            // a C × K tile; a layer with fewer channels leaves rows idle (ZigZag's tpu_like maps
            // the same way: K over one array dimension, C over the other).
            let fcin = ceilDiv(l.channels / g, r), fk = ceilDiv(kg, c)
            return (Double(g * fk * fcin * l.kernelH * l.kernelW * pixels) + fillCycles(a), (fcin, fk))
        case .shidiannao:
            // A rows × columns tile of output pixels per pass, one MAC of every output each cycle;
            // a row of `columns` PEs spans `columns` input columns (its input window), which hold
            // ⌊(columns − 1 + stride) / stride⌋ outputs (MAESTRO's ShiDianNao-like mapping).
            let perRow = max(1, (c - 1 + l.stride) / l.stride)
            let fy = ceilDiv(l.outH, r), fx = ceilDiv(l.outW, perRow)
            return (Double(l.batch * fy * fx * k * filter) + fillCycles(a), (fy, fx))
        case .eyeriss:
            // Each PE runs a 1-D convolution: one filter row over one input row, S MACs per output
            // pixel of its output row; K·(C/G)·R·OH such rows share the PEs.
            let rowsOfWork = l.batch * k * (l.channels / g) * l.kernelH * l.outH
            let passes = ceilDiv(rowsOfWork, a.processingElements)
            return (Double(passes * l.kernelW * l.outW + l.kernelH), (passes, 1))
        }
    }

    /// The fill the NVDLA-like (its adder tree over `rows` inputs) and ShiDianNao-like (rows plus
    /// columns to load and drain the output tile) closed forms add once per layer.
    @inline(__always)
    static func fillCycles(_ a: ASICAccelerator) -> Double {
        switch a.dataflow {
        case .nvdla: return log2(Double(a.rows)).rounded(.up)
        case .shidiannao: return Double(a.rows + a.columns)
        case .systolicWS, .systolicOS, .systolicIS, .eyeriss: return 0
        }
    }

    /// Cycles of a non-MAC layer: its operations (`ConvLayer.vectorOperations`) on the vector
    /// unit (`vectorLanes` operations a cycle) or, without one, on the PE array (one operation
    /// per PE per cycle, as Eyeriss runs pooling on its PEs), plus the unit's pipeline fill
    /// (one cycle per lane group of 32, an assumption stated in docs/ASIC.md).
    @inline(__always)
    public static func vectorCycles(_ l: ConvLayer, on a: ASICAccelerator) -> Double {
        let lanes = a.vectorLanes > 0 ? a.vectorLanes : a.processingElements
        return Double(ceilDiv(l.vectorOperations, lanes) + ceilDiv(lanes, 32))
    }
}
