/// A MAC task's loop nest as built, when it does not follow the workload's arithmetic: a gather
/// over every output with the full kernel window (zeros included), or a nest repeated by an
/// enclosing loop whose index its body does not use. Read from the design's HLS as trip counts:
/// `inner` iterations of the pipelined loop (II=1) per entry, `outer` entries (the product of
/// the enclosing loops' trip counts). It replaces the task's compute cycles, not its off-chip
/// traffic; the MACs one iteration issues are the task's lanes (`ScheduledStage.taskLanes`).
/// `serial` is what each entry spends in series with the pipelined loop, also read from the HLS
/// as a trip count: a line buffer's row fetch (a pipelined II=1 loop of `serial` iterations) run
/// before the row's compute loop in the same row loop body, not overlapped with it (InTAR CNN-4L
/// InTAR, `cnn-4L-intrra-kernel.cpp` lines 334-367 and 368-398 for conv3). Zero: nothing in series.
///
/// A special-function task's nest as built (`sfuCycles(_:)`) may be unpipelined: its loops have
/// no pipeline pragma and trip counts under Vitis HLS's automatic-pipelining threshold of 64
/// (UG1399, `config_compile -pipeline_loops`), so every iteration takes its body's latency,
/// `iterationCycles`, counted from the HLS as the body's dependent steps: one cycle for a store,
/// two for a read-modify-write of an on-chip array (the block RAM's read latency is one cycle,
/// UG573, and the dependent add and write take the next). One: pipelined at II=1.
///
/// `accesses` counts the single-element off-chip reads and writes each entry makes in series in
/// unpipelined code (a `tapa::mmap` element read or stored outside a pipelined loop, InTAR's VAE
/// sequential baseline): each is one AXI transaction with one request outstanding, priced at the
/// platform's `blocking_read_cycles` (request to response; 7.6 cycles measured on InTAR's MLP
/// sequential baseline). Zero: none.
public struct BuiltLoop: Hashable, Sendable {
    public var outer: Double
    public var inner: Double
    public var serial: Double
    public var iterationCycles: Double
    public var accesses: Double
    public init(outer: Double, inner: Double, serial: Double = 0, iterationCycles: Double = 1, accesses: Double = 0) {
        self.outer = outer
        self.inner = inner
        self.serial = serial
        self.iterationCycles = iterationCycles
        self.accesses = accesses
    }

    /// Busy cycles of a special-function task built as this nest: `outer` entries of `inner`
    /// iterations of `iterationCycles` each, plus `serial` cycles and `accesses` off-chip
    /// accesses of `accessCycles` each per entry, in series.
    public func sfuCycles(accessCycles: Double) -> Double { outer * (inner * iterationCycles + serial + accesses * accessCycles) }

    /// Compute cycles of the nest with the unit's pipeline `depth`, by the loop knobs as
    /// `MACCycleModel` applies them: not pipelined, every iteration takes the body's latency;
    /// flattened, one pipeline fill; else a drain per entry of the inner loop. The `serial`
    /// cycles of every entry add to each (they do not overlap the pipelined loop).
    @inline(__always)
    func computeCycles(depth: Double, pipelined: Bool, flatten: Bool, accessCycles: Double) -> Double {
        let iterations = outer * inner
        let nest = !pipelined ? iterations * depth : flatten ? iterations + depth : outer * (inner + depth)
        return nest + outer * (serial + accesses * accessCycles)
    }
}

extension MACCycleModel {
    /// `cycles(lanes:)` with the compute cycles of a loop nest as built: the same pipeline depth
    /// (the lanes one iteration uses along the reduction) and the same weight and input traffic.
    func cycles(lanes: Double, built loop: BuiltLoop, accessCycles: Double) -> Double {
        let depth = baseDepth + Self.ceilLog2(min(lanes, reduction))
        let compute = loop.computeCycles(depth: depth, pipelined: pipelined, flatten: flatten, accessCycles: accessCycles)
        switch traffic {
        case .none: return max(compute, floor)
        case .doubleBuffered: return max(compute, floor) + add1 + add2
        case .buffered: return compute + add1 + add2
        case .blocking: return compute + add1
        }
    }
}
