/// What an ASIC dataflow template is, declared in one place: its name, its line in `intarsia list
/// dataflows`, the accelerator knobs it reads with the values it accepts, and its formulas (compute
/// cycles of a MAC layer, the fill it adds, how often the buffer re-sends each operand, a PE's
/// share of the weights, the smallest tile and L1 it needs) and the mechanisms it uses (a
/// systolic form for SCALE-Sim's models, a MAESTRO-style step walk, how a peer's hierarchy counts
/// its SRAM accesses). The cost model, the spec reader, the explorer and the listings read these
/// instead of switching over dataflow names.
///
/// A conformer is a caseless enum in its own file (`Dataflows/NVDLADataflow.swift`); adding a
/// dataflow is such a file and an entry of `ASICDataflows.builtin` (or a registry of one's own,
/// `ASICDataflows.adding`). Every requirement is static and has no default, so a conformer that
/// forgets one does not compile. `ASICDataflow` holds the metatype with the policies copied out,
/// so an accelerator stays a plain value.
public protocol ASICDataflowTemplate: Sendable {
    /// The name specs, CSV rows and the command line use (`dataflow: nvdla`).
    static var identifier: String { get }
    /// One line on what the dataflow is (`intarsia list dataflows`).
    static var summary: String { get }
    /// The accelerator keys it reads besides `dataflow`, with the values it accepts; a spec entry
    /// setting another key, or a value outside these, is rejected.
    static var knobs: [ASICKnobRule] { get }
    /// The SCALE-Sim operand mapping when the array is systolic (operands pass between
    /// neighbouring PEs; SCALE-Sim's memory models apply), nil otherwise.
    static var systolicForm: SystolicForm? { get }
    /// Whether the layer is walked step by step as a two-level cluster machine (`ClusterSteps`)
    /// for its buffer traffic and NoC time, and which mapping the walk follows.
    static var stepWalk: ASICStepWalk { get }
    /// How a peer's per-access hierarchy (`ASICTechnology.accessEnergies`) counts SRAM reads of
    /// inputs and writes of outputs.
    static var sramAccess: SRAMAccessPattern { get }

    /// Compute cycles of a MAC layer (groups, batch and stride included) and its folds onto the
    /// array (rows, columns; their meaning is the dataflow's).
    static func computeCycles(_ l: ConvLayer, on a: ASICAccelerator) -> (cycles: Double, folds: (rows: Int, cols: Int))
    /// Cycles added once per layer to fill and drain the array (included in `computeCycles`).
    static func fillCycles(_ a: ASICAccelerator) -> Double
    /// How many times the global buffer sends each operand to the PEs for a MAC layer.
    static func bufferRereads(_ l: ConvLayer, on a: ASICAccelerator, folds: (rows: Int, cols: Int)) -> OperandRereads
    /// Bytes of the layer's weights one PE holds (whether they fit its L1).
    static func weightBytesPerPE(_ l: ConvLayer, on a: ASICAccelerator) -> Double
    /// Bytes the buffer must hold for one fold of an `rows`×`columns` array.
    static func minimumTileBytes(rows: Int, columns: Int) -> Double
    /// Bytes a PE's L1 must hold.
    static var minimumL1Bytes: Double { get }
}

/// SCALE-Sim's three systolic operand mappings.
public enum SystolicForm: Hashable, Sendable {
    /// Weight-stationary: the filter matrix (R·S·C × K) stays, the im2col rows stream.
    case weightStationary
    /// Output-stationary: each PE accumulates one output (OH·OW × K), the reduction streams.
    case outputStationary
    /// Input-stationary: the im2col matrix (R·S·C × OH·OW) stays, the filters stream.
    case inputStationary
}

/// The MAESTRO-style step walk a dataflow's layers take (`ClusterSteps`).
public enum ASICStepWalk: Hashable, Sendable {
    /// No walk: traffic from the re-read counts, NoC time bounded by the layer's traffic.
    case none
    /// Clusters of `rows` PEs reduce input channels for `columns` output channels (NVDLA-like).
    case channelClusters
    /// Clusters of `columns` PEs over an output row, `rows` clusters (ShiDianNao-like).
    case outputTileClusters
}

/// How SRAM accesses are counted on a technology that prices each access.
public enum SRAMAccessPattern: Hashable, Sendable {
    /// An input pixel is read for every kernel tap and column fold (the im2col volume), in words of
    /// the channels a fold reduces; outputs written once per column fold's channels.
    case im2colPerTap
    /// Inputs read once per re-read, outputs written once.
    case perReread
}

/// How many times the global buffer sends an operand to the PEs (1: once).
public struct OperandRereads: Hashable, Sendable {
    public var weights: Double
    public var inputs: Double
    /// Partial-sum read-backs per output (0: outputs finish in the PEs).
    public var partialSums: Double
    public init(weights: Double, inputs: Double, partialSums: Double) {
        self.weights = weights
        self.inputs = inputs
        self.partialSums = partialSums
    }
}
