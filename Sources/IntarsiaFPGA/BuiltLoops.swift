/// A MAC task's loop nest as built, when it does not follow the workload's arithmetic: a gather
/// over every output with the full kernel window (zeros included), or a nest repeated by an
/// enclosing loop whose index its body does not use. Read from the design's HLS as trip counts:
/// `inner` iterations of the pipelined loop (II=1) per entry, `outer` entries (the product of
/// the enclosing loops' trip counts). It replaces the task's compute cycles, not its off-chip
/// traffic; the MACs one iteration issues are the task's lanes (`ScheduledStage.taskLanes`).
public struct BuiltLoop: Hashable, Sendable {
    public var outer: Double
    public var inner: Double
    public init(outer: Double, inner: Double) {
        self.outer = outer
        self.inner = inner
    }

    /// Compute cycles of the nest with the unit's pipeline `depth`, by the loop knobs as
    /// `MACCycleModel` applies them: not pipelined, every iteration takes the body's latency;
    /// flattened, one pipeline fill; else a drain per entry of the inner loop.
    @inline(__always)
    func computeCycles(depth: Double, pipelined: Bool, flatten: Bool) -> Double {
        let iterations = outer * inner
        return !pipelined ? iterations * depth : flatten ? iterations + depth : outer * (inner + depth)
    }
}

extension MACCycleModel {
    /// `cycles(lanes:)` with the compute cycles of a loop nest as built: the same pipeline depth
    /// (the lanes one iteration uses along the reduction) and the same weight and input traffic.
    func cycles(lanes: Double, built loop: BuiltLoop) -> Double {
        let depth = baseDepth + Self.ceilLog2(min(lanes, reduction))
        let compute = loop.computeCycles(depth: depth, pipelined: pipelined, flatten: flatten)
        switch traffic {
        case .none: return max(compute, floor)
        case .doubleBuffered: return max(compute, floor) + add1 + add2
        case .buffered: return compute + add1 + add2
        case .blocking: return compute + add1
        }
    }
}
