import IntarsiaCore

/// What the stage model keeps of one task while it costs a stage: what the task's consumers in
/// the same stage read. One slot per task index (the scratch of `StageModel.cost` and of
/// `SequentialNetworkPricer`).
struct TaskSlot {
    /// Cycles from the stage's start to the task's start and finish.
    var startCycle: Double
    var finishCycle: Double
    /// Cycles from the task's start to its first output: one chunk, or its whole run when its
    /// output appears only at its end (`outputAtEnd`).
    var fillCycles: Double
    /// The stage the task runs in; a producer of another stage is complete before this one starts.
    var stage: Int32
    /// The task accumulates an outer product: its output appears only at its end.
    var outputAtEnd: Bool
}

/// A task graph as the stage model reads it: each task's facts and inputs by task index (tasks
/// in topological order: a producer's index is below its consumers').
protocol StageGraph {
    func facts(_ task: Int) -> CompiledWorkload.TaskFacts
    /// Whether no task reads the task's output (it is written off chip).
    func isSink(_ task: Int) -> Bool
    /// The task's inputs, as indices for `producer` and `kind`.
    func inputs(_ task: Int) -> Range<Int>
    func producer(_ input: Int) -> Int
    func kind(_ input: Int) -> EdgeKind
}

extension CompiledWorkload: StageGraph {
    @inline(__always) func facts(_ task: Int) -> TaskFacts { tasks[task] }
    @inline(__always) func isSink(_ task: Int) -> Bool { tasks[task].isSink }
    @inline(__always) func inputs(_ task: Int) -> Range<Int> {
        let t = tasks[task]
        return t.predecessorStart..<(t.predecessorStart + t.predecessorCount)
    }
    @inline(__always) func producer(_ input: Int) -> Int { predecessorTask[input] }
    @inline(__always) func kind(_ input: Int) -> EdgeKind { predecessorKinds[input] }
}

/// The per-task rules of a stage's cost, over plain numbers: what every template's stages (in
/// `StageModel.cost`) and the sequential networks of `SequentialNetworkPricer` are costed with.
extension StageModel {
    /// The sequential template's stages: a new stage at every MAC task (and at the first task);
    /// a special-function task joins the stage before it.
    @inline(__always)
    static func opensSequentialStage(_ t: CompiledWorkload.TaskFacts, first: Bool) -> Bool { t.isMAC || first }

    /// Lanes of one of a stage's `macTasks` MAC tasks when the stage splits `lanes` lanes by
    /// `allocation` (by MACs when proportional, `macs` of the stage's `macSum`).
    @inline(__always)
    static func macWidth(lanes: Double, macs: Double, macSum: Double, macTasks: Int, allocation: LaneAllocation) -> Double {
        let share = allocation == .uniform || macSum == 0 ? 1 / Double(macTasks) : macs / macSum
        return max(1, (lanes * share).rounded(.down))
    }

    /// Cycles of a special-function task on `width` element lanes: its passes over its outputs,
    /// then the unit's pipeline depth.
    @inline(__always)
    static func sfuCycles(_ t: CompiledWorkload.TaskFacts, width: Double, env: CycleEnvironment) -> Double {
        (t.outputElements * t.sfuPasses / width).rounded(.up) + env.sfuDepthCycles
    }

    /// Bytes of a MAC task's on-chip weight buffer (one column of weights, twice when double
    /// buffered): none when the weights are read blocking, or the task has one row or no
    /// off-chip weights, or (dataflow) accumulates over a column-order stream (its row of weights
    /// is a held buffer, `DataflowHeldBuffers`).
    @inline(__always)
    static func weightBufferBytes(_ t: CompiledWorkload.TaskFacts, env: CycleEnvironment) -> Double {
        guard t.rows > 1 && t.offChipWeightBytes > 0 && env.weightLoad != .blocking else { return 0 }
        // Accumulating over a column-order stream (dataflow): a row of weights, held as such.
        if t.accumulatesColumns && env.holdsDataflowBuffers { return 0 }
        return t.reduction * t.weightElementBytes * (env.weightLoad == .doubleBuffered ? 2 : 1)
    }

    /// The blocks of a MAC task's weight buffer of `bytes` read by `width` lanes.
    @inline(__always)
    static func weightBufferBlocks(_ t: CompiledWorkload.TaskFacts, bytes: Double, width: Double, env: CycleEnvironment, into c: inout StageCost) {
        guard bytes > 0 else { return }
        blocks(bytes: bytes, parallelBits: min(width, t.reduction) * t.weightElementBytes * 8, env: env, into: &c)
    }

    /// What a MAC task on `width` lanes adds to its stage: its lanes' DSP, LUT and FF with one
    /// unit's control, its weights' off-chip traffic, its MACs' energy and its weight buffer.
    @inline(__always)
    static func chargeMAC(_ t: CompiledWorkload.TaskFacts, width: Double, env: CycleEnvironment, into c: inout StageCost) {
        c.macDSP += (width * t.dspPerMAC).rounded(.up)
        c.macLUT += width * t.lutPerLane + ModelConstants.lutPerUnit
        c.macFF += width * t.ffPerLane + ModelConstants.ffPerUnit
        c.offChipBytes += t.offChipWeightBytes
        c.energyPicojoules += t.macs * t.picojoulesPerMAC
        weightBufferBlocks(t, bytes: weightBufferBytes(t, env: env), width: width, env: env, into: &c)
    }

    /// Places task `i` (facts `t`, `width` lanes or SFU element lanes, `busy` cycles on its own)
    /// in `stage` after its producers there, charges its traffic and buffers to `c`, and fills
    /// its slot. A streamed input lets the task start after its producer's first chunk and
    /// finish one of its own chunks after the producer; a barrier waits for all of it. Returns
    /// the task's start, finish and busy cycles (a FIFO's width may slow it). An input the task
    /// takes whole (not streamed) through a FIFO as built (`fifoElements`, per input edge) that
    /// holds less than its producer's output is `held`: the task reads it after its other inputs
    /// are complete, and the producer, stalled by the full FIFO, runs no further ahead than the
    /// FIFO holds (InTAR self-attention dataflow: V's 8-word FIFO into S·V, which caches all of
    /// S first, `self-attn-spatial-kernel.cpp` lines 304-332, 434). An input edge marked in
    /// `streamedEdges` (per input edge, as built) streams whatever its kind: the task accumulates
    /// outer products along its reduction in the order the producer emits it, and has its output
    /// only at its end (InTAR self-attention dataflow: `compute_S` reads one Q column and one K row
    /// per step of the reduction, lines 230-266, and writes S after the last, lines 272-282).
    @inline(__always)
    static func place<G: StageGraph>(_ i: Int, _ t: CompiledWorkload.TaskFacts, in g: G, width: Double, busy alone: Double, stage: Int32,
                                     slots: UnsafeMutableBufferPointer<TaskSlot>, env: CycleEnvironment,
                                     into c: inout StageCost, fifoElements: [Double]? = nil,
                                     streamedEdges: [Bool]? = nil) -> (start: Double, finish: Double, busy: Double) {
        c.offChipBytes += t.externalInputBytes
        if g.isSink(i) { c.offChipBytes += t.outputBytes }
        c.onChipBytesAccessed += 2 * t.outputBytes + t.offChipWeightBytes
        var busy = alone
        var start = 0.0
        var streamedFinish = 0.0
        var atEnd = false
        var held = Held()
        for e in g.inputs(i) {
            let p = g.producer(e)
            let made = slots[p]
            guard made.stage == stage else { continue }  // produced in an earlier stage: ready
            var streamed: Bool
            if let s = streamedEdges, s[e] {
                // Streamed as built: the task accumulates outer products along the reduction
                // in the order its producer emits it, its output only at its end.
                streamed = true
                if !atEnd { accumulatorBlocks(t, width: width, env: env, into: &c) }
                atEnd = true
            } else {
                switch g.kind(e) {
                case .stream:
                    streamed = true
                case .either:
                    // Streams when every other input of the task is complete before the stage.
                    streamed = true
                    for o in g.inputs(i) where o != e && slots[g.producer(o)].stage == stage { streamed = false }
                case .barrier:
                    // A matrix-vector product may accumulate an outer product instead of dot
                    // products: it then takes its input as it streams (from a producer that emits
                    // progressively, under `auto`) and has its output only at the end.
                    streamed = t.isMAC && t.rows == 1 && (env.matVec == .outer || (env.matVec == .auto && !made.outputAtEnd))
                    if streamed {
                        atEnd = true
                        accumulatorBlocks(t, width: width, env: env, into: &c)
                    }
                }
            }
            let producer = g.facts(p)
            if !streamed, let depth = fifoElements?[e], depth < producer.outputElements {
                held.add(made, runAhead: depth / producer.outputElements)
                continue
            }
            held.othersDone = max(held.othersDone, made.finishCycle)
            if streamed {
                if made.outputAtEnd { atEnd = true }
                if env.streamElements > 0 { busy = max(busy, (producer.outputElements / env.streamElements).rounded(.up)) }
                start = max(start, made.startCycle + made.fillCycles)
                streamedFinish = max(streamedFinish, made.finishCycle)
                blocks(bytes: 2 * producer.outputBytes / producer.chunks, parallelBits: width * t.elementBytes * 8, env: env, into: &c)  // a FIFO of two chunks
            } else {
                start = max(start, made.finishCycle)
                blocks(bytes: producer.outputBytes, parallelBits: width * t.elementBytes * 8, env: env, into: &c)
            }
        }
        // After its streamed inputs end a task needs one chunk more; its first output comes one
        // chunk after it starts, or only at its end for an outer-product accumulation.
        let chunk = busy / t.chunks
        if held.busy > 0 { streamedFinish = max(streamedFinish, held.finish(start: start)) }
        let finish = max(start + busy, streamedFinish > 0 ? streamedFinish + chunk : 0)
        slots[i] = TaskSlot(startCycle: start, finishCycle: finish, fillCycles: atEnd ? busy : chunk, stage: stage, outputAtEnd: atEnd)
        return (start, finish, busy)
    }

    /// A task's held inputs (`place`): their producers' busy cycles left after the FIFO fills,
    /// the latest of their own finishes, and when the task's other inputs are complete.
    struct Held {
        var busy = 0.0
        var ownFinish = 0.0
        var othersDone = 0.0

        @inline(__always)
        mutating func add(_ made: TaskSlot, runAhead fraction: Double) {
            busy = max(busy, (made.finishCycle - made.startCycle) * (1 - fraction))
            ownFinish = max(ownFinish, made.finishCycle)
        }

        /// The held producers resume when the task starts taking them, after its other inputs.
        @inline(__always)
        func finish(start: Double) -> Double { max(ownFinish, max(start, othersDone) + busy) }
    }

    /// The accumulators of an outer-product accumulation on `width` lanes, each as wide as the
    /// exact sum (`OnChipBuffers.accumulatorBits`). Out of line:
    /// inlined, the compiler computes its roundings for every task placed, before the input
    /// loop, though few tasks accumulate (about 80 instructions a task).
    @inline(never)
    static func accumulatorBlocks(_ t: CompiledWorkload.TaskFacts, width: Double, env: CycleEnvironment, into c: inout StageCost) {
        blocks(bytes: t.outputElements * t.accumulatorBits / 8, parallelBits: width * t.accumulatorBits, env: env, into: &c)
    }

    /// Closes a stage whose last task finishes at `end`: the switch to the next stage, and the
    /// energy of its on-chip accesses.
    @inline(__always)
    static func close(_ c: inout StageCost, end: Double, env: CycleEnvironment) {
        c.cycles = end + env.stageSwitchCycles
        c.energyPicojoules += c.onChipBytesAccessed * env.onChipPicojoulesPerByte
    }
}
