import IntarsiaCore

/// Where an on-chip buffer lives. The model's rule (`OnChipBuffers.storage`): under 1 KiB in
/// LUTRAM (distributed RAM and shift registers: the model charges no block for it), from
/// `ModelConstants.uramThresholdBytes` in URAM when the part has URAM, else BRAM.
public enum BufferStorage: String, Sendable, CaseIterable, Codable {
    case lutram, bram, uram

    /// The `impl=` of a `#pragma HLS BIND_STORAGE` (UG1399, "BIND_STORAGE": lutram, bram, uram).
    public var pragmaImpl: String { rawValue }
}

/// One on-chip buffer of a task, as the model counts it and the HLS emitter declares it.
public struct OnChipBuffer: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable {
        /// A MAC task's weight column (twice when double buffered).
        case weights
        /// A FIFO of two output pieces of a producer in the same stage, read as it streams.
        case fifo
        /// A producer's whole output, held because the task waits for all of it (a barrier, or
        /// an `either` edge against an operand of the same stage).
        case operand
        /// An outer-product accumulation's accumulators (the output, each as wide as the exact sum).
        case accumulators
        /// Dataflow: an input held whole because the task's loop order needs all of it (a product
        /// of several rows with off-chip weights, a multi-channel or transposed convolution).
        case wholeInput = "whole_input"
        /// Dataflow: the task's output held whole before it is written in row order.
        case wholeOutput = "whole_output"
        /// Dataflow: a line buffer (a convolution's kernel rows, pooling's output row, up-sampling's
        /// input row, softmax's and layer norm's rows).
        case lineBuffer = "line_buffer"
        /// Dataflow: the rest of a FIFO deepened to its producer's whole output (a fork whose
        /// branches meet again): the whole output less the model's FIFO of two pieces.
        case forkDepth = "fork_depth"
    }

    /// The task's index in the workload.
    public var task: Int
    public var role: Role
    /// The producer whose output the buffer holds (fifo, operand); -1 otherwise.
    public var producer: Int
    public var elementBits: Double
    public var elements: Double
    /// Bits read in one cycle by the task's lanes (sets the blocks a partitioned buffer needs).
    public var parallelBits: Double
    public var storage: BufferStorage

    public var bytes: Double { elements * elementBits / 8 }
    /// BRAM18K and URAM blocks, as the model charges them (none in LUTRAM).
    public var blocks: (bram18k: Double, uram: Double) {
        storage == .lutram ? (0, 0) : OnChipBuffers.blocks(bytes: bytes, parallelBits: parallelBits, uram: storage == .uram)
    }
}

/// The one account of on-chip buffers: the storage rule and block counts the stage model charges
/// (`StageModel.blocks`), and each task's buffers as a list for the HLS emitter and its README.
public enum OnChipBuffers {
    /// Bytes below which a buffer stays in LUTRAM (small FIFOs live in LUTRAM or SRLs; UG573
    /// "Distributed RAM": a 64-deep LUTRAM per LUT6; the model's threshold, not a part figure).
    public static let lutramBelowBytes = 1024.0

    @inline(__always)
    public static func storage(bytes: Double, uramAvailable: Bool) -> BufferStorage {
        if bytes < lutramBelowBytes { return .lutram }
        return uramAvailable && bytes >= ModelConstants.uramThresholdBytes ? .uram : .bram
    }

    /// Blocks of one buffer of `bytes` read `parallelBits` at a time: enough blocks for the
    /// bytes, and enough ports for the width (a URAM is 72 bits wide, a BRAM18K 36).
    @inline(__always)
    public static func blocks(bytes: Double, parallelBits: Double, uram: Bool) -> (bram18k: Double, uram: Double) {
        if uram { return (0, max((bytes / FPGAPlatform.uramBytes).rounded(.up), (parallelBits / 72).rounded(.up))) }
        return (max((bytes / FPGAPlatform.bram18kBytes).rounded(.up), (parallelBits / 36).rounded(.up)), 0)
    }

    /// Bits of one accumulator of a MAC task's outer-product accumulation: an exact integer sum
    /// of `reduction` products, a + w + ceil(log2(reduction)) (what the emitted `ap_int<ACC_W>`
    /// holds); floating-point sums twice the element width (an assumption: no emitted code yet).
    public static func accumulatorBits(_ t: Task) -> Double {
        guard let g = t.op.gemmView else { return 0 }
        let a = t.dataType.bits, w = (t.weightDataType ?? t.dataType).bits
        if t.dataType.isFloat { return Double(2 * a) }
        var log = 0
        while (1 << log) < g.reduction { log += 1 }
        return Double(a + w + log)
    }

    /// The buffers of the tasks of one stage (indices ascending, in topological order), each MAC
    /// task on `lanes[task]` lanes, as `StageModel.cost` charges them: a MAC task's weight
    /// column; per input from the same stage, a FIFO of two pieces when it streams, else the
    /// producer's whole output; accumulators for an outer-product accumulation; in the dataflow
    /// template, the buffers its loop order holds (`DataflowHeldBuffers`).
    static func stage(_ w: CompiledWorkload, tasks: [Int], lanes: [Int: Int], env: CycleEnvironment) -> [OnChipBuffer] {
        var out: [OnChipBuffer] = []
        var atEnd: [Int: Bool] = [:]
        let members = Set(tasks)
        func add(_ i: Int, _ role: OnChipBuffer.Role, _ producer: Int, bits: Double, elements: Double, parallelBits: Double) {
            let bytes = elements * bits / 8
            out.append(OnChipBuffer(task: i, role: role, producer: producer, elementBits: bits, elements: elements,
                                    parallelBits: parallelBits, storage: storage(bytes: bytes, uramAvailable: env.uramAvailable)))
        }
        for i in tasks {
            let t = w.tasks[i]
            let width = t.isMAC ? Double(max(1, lanes[i] ?? 1)) : env.sfuWidth
            let weightBytes = StageModel.weightBufferBytes(t, env: env)
            if t.isMAC && weightBytes > 0 {
                add(i, .weights, -1, bits: t.weightElementBytes * 8, elements: weightBytes / t.weightElementBytes,
                    parallelBits: min(width, t.reduction) * t.weightElementBytes * 8)
            }
            var end = false
            for e in w.inputs(i) where members.contains(w.producer(e)) {
                let p = w.producer(e), producer = w.tasks[p]
                var streamed: Bool
                switch w.kind(e) {
                case .stream: streamed = true
                case .either: streamed = !w.inputs(i).contains { $0 != e && members.contains(w.producer($0)) }
                case .barrier:
                    streamed = t.isMAC && t.rows == 1 && (env.matVec == .outer || (env.matVec == .auto && !(atEnd[p] ?? false)))
                    if streamed {
                        end = true
                        add(i, .accumulators, -1, bits: t.accumulatorBits, elements: t.outputElements, parallelBits: width * t.accumulatorBits)
                    }
                }
                let bits = t.elementBytes * 8
                if streamed {
                    if atEnd[p] ?? false { end = true }
                    add(i, .fifo, p, bits: bits, elements: 2 * producer.outputElements / producer.chunks, parallelBits: width * bits)
                } else {
                    add(i, .operand, p, bits: bits, elements: producer.outputElements, parallelBits: width * bits)
                }
            }
            atEnd[i] = end
            guard env.holdsDataflowBuffers else { continue }
            for h in w.held[i] {
                add(i, h.role, h.producer, bits: h.elementBits, elements: h.elements, parallelBits: h.parallelBits(width: width))
            }
        }
        return out
    }
}

extension FPGAModel {
    /// Each stage's buffers for a design point whose tasks ran as `tasks` say (stage and lanes
    /// per task, as `evaluate` records them), stage by stage. The model's BRAM18K and URAM are
    /// the largest stage's blocks of these (plus the scratchpad and the shell).
    public func onChipBuffers(_ p: DesignPoint, tasks records: [TaskRecord]) -> [[OnChipBuffer]] {
        let env = platformEnvironment.with(p)
        let index = Dictionary(compiled.names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var stages: [Int: [Int]] = [:]
        var lanes: [Int: Int] = [:]
        for r in records {
            guard let i = index[r.task] else { continue }
            stages[r.stage, default: []].append(i)
            lanes[i] = r.lanes
        }
        return stages.keys.sorted().map { OnChipBuffers.stage(compiled, tasks: stages[$0]!.sorted(), lanes: lanes, env: env) }
    }
}
