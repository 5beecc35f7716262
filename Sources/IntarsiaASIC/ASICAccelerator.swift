import Foundation
import IntarsiaCore

/// How a sub-accelerator's off-chip transfers meet its compute.
public enum ASICMemory: String, Hashable, Sendable, CaseIterable, Codable {
    /// Double-buffered global buffer: transfers overlap compute; only what compute cannot hide
    /// stalls.
    case doubleBuffered = "double_buffered"
    /// ZigZag's tpu_like hierarchy: the layer's input is loaded over the off-chip port before
    /// computing starts, weights stream from DRAM straight into the PEs while they compute (the
    /// layer takes at least their transfer time), outputs stay on chip.
    case preloadInputs = "preload_inputs"
    /// SCALE-Sim v3's memory system (systolic dataflows only): three double-buffered
    /// scratchpads (ifmap, filter, ofmap) of a third of the buffer each, each with an off-chip
    /// port of a third of the bandwidth, and SCALE-Sim's fetch order, window and stall
    /// accounting (`ScaleSimMemory`). Slower to evaluate than the closed forms: it walks the
    /// folds.
    case scaleSim = "scalesim"

    public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")
}

/// SCALE-Sim's `InterfaceBandwidth`: `user` gives the port its bandwidth (stalls when demand
/// exceeds it), `calc` sizes the port to the demand (SCALE-Sim then reports no stalls).
public enum ScaleSimBandwidth: String, Hashable, Sendable, CaseIterable, Codable {
    case user, calc
    public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")
}

/// One sub-accelerator's hardware: its dataflow, PE array, on-chip buffer and off-chip bandwidth.
public struct ASICAccelerator: Hashable, Sendable {
    public var dataflow: ASICDataflow
    /// Array rows and columns (systolic forms); for the other dataflows only their product counts.
    public var rows: Int
    public var columns: Int
    /// Global buffer for inputs, weights and outputs, KiB.
    public var bufferKiB: Double
    /// Off-chip bytes per cycle.
    public var dramBytesPerCycle: Double
    /// NVDLA-style: input channels a cluster reduces in parallel.
    public var clusterChannels: Int
    public var memory: ASICMemory
    /// Operations a cycle of the vector unit that runs non-MAC operators (pooling, element-wise,
    /// activations, softmax, layer norm, up-sampling); 0: they run on the PE array, one
    /// operation per PE per cycle.
    public var vectorLanes: Int = 0
    /// Elements a cycle the on-chip network carries between the global buffer and the PEs (all
    /// tensors together); infinity: never the bottleneck.
    public var nocElementsPerCycle: Double = .infinity
    /// A network of its own for one tensor class (nil: that class shares `nocElementsPerCycle`).
    public var nocInputElementsPerCycle: Double? = nil
    public var nocWeightElementsPerCycle: Double? = nil
    public var nocOutputElementsPerCycle: Double? = nil
    /// Whether any network between the global buffer and the PEs is bounded.
    public var hasBoundedNoC: Bool {
        nocElementsPerCycle.isFinite || nocInputElementsPerCycle != nil || nocWeightElementsPerCycle != nil || nocOutputElementsPerCycle != nil
    }
    /// Bytes of each PE's L1 (register file or scratchpad); 512 as Eyeriss's.
    public var l1Bytes: Double = 512
    /// SCALE-Sim's interface bandwidth mode (`memory: scalesim` only).
    public var scaleSimBandwidth: ScaleSimBandwidth = .user


    /// Energy of an L1 access relative to Eyeriss's 512-byte register file: the square root of
    /// the size ratio, as the buffer's per-byte energy grows (never below the 512-byte figure).
    public var l1EnergyScale: Double { max(1, (l1Bytes / 512).squareRoot()) }

    public init(dataflow: ASICDataflow, rows: Int, columns: Int, bufferKiB: Double = 512, dramBytesPerCycle: Double = 16, clusterChannels: Int = 16,
                memory: ASICMemory = .doubleBuffered) {
        self.dataflow = dataflow
        self.rows = rows
        self.columns = columns
        self.bufferKiB = bufferKiB
        self.dramBytesPerCycle = dramBytesPerCycle
        self.clusterChannels = clusterChannels
        self.memory = memory
    }

    public var processingElements: Int { rows * columns }
}

/// A layer's figures on one accelerator.
public struct ASICLayerCost: Hashable, Sendable {
    public var computeCycles: Double
    public var stallCycles: Double
    public var totalCycles: Double { computeCycles + stallCycles }
    public var utilization: Double
    /// Accesses in bytes per memory level.
    public var registerFileBytes: Double
    public var nocBytes: Double
    public var bufferBytes: Double
    public var dramBytes: Double
    /// Energy by level, picojoules.
    public var macPicojoules: Double
    public var registerFilePicojoules: Double
    public var nocPicojoules: Double
    public var bufferPicojoules: Double
    public var dramPicojoules: Double
    public var energyPicojoules: Double { macPicojoules + registerFilePicojoules + nocPicojoules + bufferPicojoules + dramPicojoules }
    /// Elements per tensor between the global buffer and the PEs.
    public var buffer: TensorTraffic = TensorTraffic()
    /// Elements per tensor between DRAM and the global buffer.
    public var offChip: TensorTraffic = TensorTraffic()
}

/// Elements a tensor class moves across one level of the hierarchy.
public struct TensorTraffic: Hashable, Sendable {
    /// Input activations read (per re-read).
    public var inputReads: Double = 0
    /// Weights read.
    public var weightReads: Double = 0
    /// Outputs written, final ones and partial sums spilled for a later fold.
    public var outputWrites: Double = 0
    /// Partial sums read back to continue their accumulation.
    public var partialSumReads: Double = 0
    public init(inputReads: Double = 0, weightReads: Double = 0, outputWrites: Double = 0, partialSumReads: Double = 0) {
        self.inputReads = inputReads
        self.weightReads = weightReads
        self.outputWrites = outputWrites
        self.partialSumReads = partialSumReads
    }
}
