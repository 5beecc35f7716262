import IntarsiaCore

/// The dataflow template's one stage (every task resident, FIFOs between them) as the plain
/// numbers `StageModel.cost` reads of it that no knob changes, worked out once per workload:
/// each task's lane shares, each input's buffers and whether it streams, the stage's off-chip
/// bytes and energy. `FPGAModel.evaluateDataflowFast` costs a point from it with
/// `StageModel.cost`'s arithmetic in its order, so the figures are the same bit for bit
/// (`DataflowClosedFormTests` compares both on every bundled workload over every knob).
struct DataflowPlan: Sendable {
    /// A buffer of fixed bytes: where it lives and the blocks its bytes take; the blocks its
    /// read width takes are worked out per point (`OnChipBuffers.blocks`: the larger of the two).
    struct Buffer: Sendable {
        var storage: BufferStorage
        /// Blocks for the bytes: BRAM18K or URAM by `storage` (0 in LUTRAM).
        var bytesBlocks: Double

        init(bytes: Double, uramAvailable: Bool) {
            storage = OnChipBuffers.storage(bytes: bytes, uramAvailable: uramAvailable)
            switch storage {
            case .lutram: bytesBlocks = 0
            case .bram: bytesBlocks = (bytes / FPGAPlatform.bram18kBytes).rounded(.up)
            case .uram: bytesBlocks = (bytes / FPGAPlatform.uramBytes).rounded(.up)
            }
        }

        /// Adds the buffer's blocks when read `parallelBits` at a time (`StageModel.blocks`).
        @inline(__always)
        func charge(parallelBits: Double, bram18k: inout Double, uram: inout Double) {
            switch storage {
            case .lutram: return
            case .bram: bram18k += max(bytesBlocks, (parallelBits / 36).rounded(.up))
            case .uram: uram += max(bytesBlocks, (parallelBits / 72).rounded(.up))
            }
        }
    }

    /// How an input from the same stage (every input, in a dataflow design) is read.
    enum InputMode: Sendable {
        /// As it streams (a `stream` edge, or an `either` edge of a task with no other input).
        case streams
        /// All of it first (an `either` edge beside other inputs, or a barrier the task cannot
        /// accumulate over).
        case waits
        /// A barrier into a matrix-vector product: streamed as an outer-product accumulation or
        /// waited for, by `matvec` and whether the producer's output comes only at its end.
        case matVec
    }

    struct Input: Sendable {
        var producer: Int
        var mode: InputMode
        /// The producer's output elements (a narrow FIFO's cycles).
        var producerElements: Double
        /// A FIFO of two of the producer's pieces (streamed), or its whole output (waited for).
        var fifo: Buffer
        var operand: Buffer
    }

    struct Task: Sendable {
        var isMAC: Bool
        /// The task's share of the stage's lanes under each allocation (`StageModel.macWidth`).
        var proportionalShare: Double
        var uniformShare: Double
        /// Bits of one element of its inputs, of one weight, of one accumulator.
        var elementBits: Double
        var weightBits: Double
        var accumulatorBits: Double
        var reduction: Double
        var dspPerMAC: Double
        var lutPerLane: Double
        var ffPerLane: Double
        /// Element operations of a special-function task (outputs × passes).
        var sfuElements: Double
        var chunks: Double
        var inputs: Range<Int>
        /// The weight column's buffer when double buffered and when buffered (none read blocking).
        var doubleBufferedWeights: Buffer
        var bufferedWeights: Buffer
        var accumulators: Buffer
        /// The buffers its loop order holds (`DataflowHeldBuffers`) that its lanes read in
        /// parallel (their blocks follow its width): indices into `held`.
        var held: Range<Int>
    }

    /// A held buffer its task's lanes read in parallel: its bytes' storage and blocks, and the
    /// bits of one element (times the task's width a read).
    struct Held: Sendable {
        var buffer: Buffer
        var bits: Double
    }

    var tasks: [Task]
    var inputs: [Input]
    var held: [Held]
    /// The blocks of every held buffer read one element at a time (no knob changes them):
    /// whole numbers, so adding them once gives the sum of adding them task by task.
    var heldFixedBRAM18k = 0.0, heldFixedURAM = 0.0
    var macTasks: Int
    /// What no knob changes of the stage: its off-chip bytes, the bytes its tasks access on
    /// chip, its energy (MACs and on-chip accesses) and what it writes off chip at its end.
    var offChipBytes: Double
    var onChipBytesAccessed: Double
    var energyPicojoules: Double
    var writtenBytes: Double

    init(_ w: CompiledWorkload, env: CycleEnvironment) {
        var macSum = 0.0
        var macTasks = 0
        for t in w.tasks where t.isMAC {
            macTasks += 1
            macSum += t.macs
        }
        self.macTasks = macTasks
        var tasks: [Task] = []
        var inputs: [Input] = []
        var held: [Held] = []
        var fixedBRAM18k = 0.0, fixedURAM = 0.0
        var off = 0.0, onChip = 0.0, energy = 0.0
        var written = Double.infinity
        for (i, t) in w.tasks.enumerated() {
            written = t.isMAC ? t.outputBytes : min(written, t.outputBytes)
            // `chargeMAC`, then `place`: the order `StageModel.cost` adds them in.
            if t.isMAC {
                off += t.offChipWeightBytes
                energy += t.macs * t.picojoulesPerMAC
            }
            off += t.externalInputBytes
            if t.isSink { off += t.outputBytes }
            onChip += 2 * t.outputBytes + t.offChipWeightBytes
            let first = inputs.count
            for e in w.inputs(i) {
                let p = w.producer(e), made = w.tasks[p]
                let mode: InputMode
                switch w.kind(e) {
                case .stream: mode = .streams
                case .either: mode = w.inputs(i).count == 1 ? .streams : .waits
                case .barrier: mode = t.isMAC && t.rows == 1 ? .matVec : .waits
                }
                inputs.append(Input(producer: p, mode: mode, producerElements: made.outputElements,
                                    fifo: Buffer(bytes: 2 * made.outputBytes / made.chunks, uramAvailable: env.uramAvailable),
                                    operand: Buffer(bytes: made.outputBytes, uramAvailable: env.uramAvailable)))
            }
            func weights(_ load: WeightLoad) -> Buffer {
                var e = env
                e.weightLoad = load
                return Buffer(bytes: StageModel.weightBufferBytes(t, env: e), uramAvailable: env.uramAvailable)
            }
            let firstHeld = held.count
            for h in w.held[i] {
                let buffer = Buffer(bytes: h.bytes, uramAvailable: env.uramAvailable)
                if h.readByLanes {
                    held.append(Held(buffer: buffer, bits: h.elementBits))
                } else {
                    buffer.charge(parallelBits: h.elementBits, bram18k: &fixedBRAM18k, uram: &fixedURAM)
                }
            }
            tasks.append(Task(
                isMAC: t.isMAC,
                proportionalShare: macSum == 0 ? 1 / Double(macTasks) : t.macs / macSum, uniformShare: 1 / Double(macTasks),
                elementBits: t.elementBytes * 8, weightBits: t.weightElementBytes * 8, accumulatorBits: t.accumulatorBits,
                reduction: t.reduction, dspPerMAC: t.dspPerMAC, lutPerLane: t.lutPerLane, ffPerLane: t.ffPerLane,
                sfuElements: t.outputElements * t.sfuPasses, chunks: t.chunks, inputs: first..<inputs.count,
                doubleBufferedWeights: weights(.doubleBuffered), bufferedWeights: weights(.buffered),
                accumulators: Buffer(bytes: t.outputElements * t.accumulatorBits / 8, uramAvailable: env.uramAvailable),
                held: firstHeld..<held.count))
        }
        self.tasks = tasks
        self.inputs = inputs
        self.held = held
        heldFixedBRAM18k = fixedBRAM18k
        heldFixedURAM = fixedURAM
        offChipBytes = off
        onChipBytesAccessed = onChip
        energyPicojoules = energy + onChip * env.onChipPicojoulesPerByte
        writtenBytes = written
    }
}
