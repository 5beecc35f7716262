import Foundation
import IntarsiaCore

/// The ASIC cost model: compute cycles per dataflow template (this file), buffer and off-chip
/// traffic and sizes (ASICTraffic.swift), and a layer's full cost (ASICLayerCosts.swift).
public enum ASICModel {
    @inline(__always)
    static func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }

    /// Compute cycles of a layer: a non-MAC layer's on the vector unit or the PE array
    /// (`vectorCycles`), a MAC layer's by its dataflow's closed form
    /// (`ASICDataflowTemplate.computeCycles`, one file per dataflow in Dataflows/). The systolic
    /// forms are SCALE-Sim's closed forms (peers.md, checked there on 21 ResNet-18 layers and all
    /// three dataflows).
    ///
    /// Grouped convolutions: a group's K/G filters reduce its own C/G channels. The systolic and
    /// NVDLA-like arrays lay filters along one array dimension and the reduction along the other,
    /// and the filters of a column share their inputs, so two groups never share a fold: the
    /// groups run one after another, each as a layer of C/G channels and K/G filters (a depthwise
    /// layer fills one row and one column of the array per group, as ZigZag's tpu_like maps it).
    /// ShiDianNao-like and Eyeriss-like arrays parallelise over outputs and rows of work, so
    /// groups only shorten each output's reduction.
    @inline(__always)
    public static func computeCycles(_ l: ConvLayer, on a: ASICAccelerator) -> (cycles: Double, folds: (rows: Int, cols: Int)) {
        if l.isVector { return (vectorCycles(l, on: a), (1, 1)) }
        return a.dataflow.descriptor.computeCycles(l, on: a)
    }

    /// The fill the dataflow's closed form adds once per layer (the NVDLA-like adder tree, the
    /// ShiDianNao-like tile load and drain).
    @inline(__always)
    static func fillCycles(_ a: ASICAccelerator) -> Double { a.dataflow.descriptor.fillCycles(a) }

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
