import Foundation
import IntarsiaCore

/// What one stage costs and holds.
struct StageCost {
    var cycles: Double = 0
    var offChipBytes: Double = 0
    var onChipBytesAccessed: Double = 0
    var bram18k: Double = 0
    var uram: Double = 0
    var bufferBytes: Double = 0
    /// MAC lanes the stage's allocation uses, and their DSP/LUT/FF (dataflow counts these).
    var macDSP: Double = 0
    var macLUT: Double = 0
    var macFF: Double = 0
    var macTasks: Int = 0
    var energyPicojoules: Double = 0
}

enum StageModel {
    /// Cycles of a MAC task on `lanes` lanes: the InTAR unit's loop nest
    /// `columns · (weight_load + rows · (k_steps + drain))`, with lanes laid along the reduction
    /// first and the rest along rows; flattened loops pay the drain once; double-buffered
    /// weights overlap the load with compute and are bound by the port's bandwidth.
    @inline(__always)
    static func macCycles(_ t: CompiledWorkload.TaskFacts, lanes: Double, bytesPerCycle bw: Double, env: CycleEnvironment) -> Double {
        MACCycleModel(t, bytesPerCycle: bw, env: env).cycles(lanes: lanes)
    }

    /// BRAM18K and URAM blocks for one buffer read by `parallelElements` lanes of `bits` each.
    @inline(__always)
    static func blocks(bytes: Double, parallelBits: Double, env: CycleEnvironment, into c: inout StageCost) {
        // The storage rule and block counts are `OnChipBuffers`' (the HLS emitter's too).
        let storage = OnChipBuffers.storage(bytes: bytes, uramAvailable: env.uramAvailable)
        guard storage != .lutram else { return }
        c.bufferBytes += bytes
        let b = OnChipBuffers.blocks(bytes: bytes, parallelBits: parallelBits, uram: storage == .uram)
        c.uram += b.uram
        c.bram18k += b.bram18k
    }

    /// Costs `tasks` (indices in topological order, ascending) run as one stage on `lanes`
    /// lanes, with at most `maxUnits` MAC tasks at once. Nil when the stage has more MAC tasks
    /// than units. Inputs produced by earlier stages are ready at the stage start.
    static func cost<S: Collection<Int>, R: CostRecorder>(_ w: CompiledWorkload, _ tasks: S, lanes: Int, maxUnits: Int,
                                                          allocation: LaneAllocation, env: CycleEnvironment,
                                                          stageIndex: Int, recorder: inout R, taskLanes: [Double]? = nil,
                                                          builtLoops: [BuiltLoop?]? = nil, fifoElements: [Double]? = nil,
                                                          streamedEdges: [Bool]? = nil) -> StageCost? {
        var macTasks = 0
        var macSum = 0.0
        for i in tasks where w.tasks[i].isMAC {
            macTasks += 1
            macSum += w.tasks[i].macs
        }
        if macTasks > maxUnits { return nil }
        var c = StageCost()
        c.macTasks = macTasks
        let totalLanes = Double(lanes)
        let bw = env.unitBytesPerCycle(units: max(macTasks, 1))
        return withUnsafeTemporaryAllocation(of: TaskSlot.self, capacity: w.tasks.count) { slots -> StageCost in
            // The stage's tasks are stage 0, every other task -1 (a trivial type: assignment
            // initialises); `place` fills a slot before its consumers read it.
            for k in 0..<slots.count { slots[k].stage = -1 }
            for i in tasks { slots[i].stage = 0 }
            var end = 0.0
            var written = Double.infinity  // `writeWaitCycles`: the smallest output from the last MAC task on
            for i in tasks {
                let t = w.tasks[i]
                if env.writeWait { written = t.isMAC ? t.outputBytes : min(written, t.outputBytes) }
                var width: Double
                var busy: Double
                if t.isMAC {
                    if let given = taskLanes {
                        width = max(1, given[i])
                    } else {
                        width = macWidth(lanes: totalLanes, macs: t.macs, macSum: macSum, macTasks: macTasks, allocation: allocation)
                    }
                    if let loop = builtLoops?[i] {
                        busy = MACCycleModel(t, bytesPerCycle: bw, env: env).cycles(lanes: width, built: loop, accessCycles: env.blockingReadCycles)
                    } else {
                        busy = macCycles(t, lanes: width, bytesPerCycle: bw, env: env)
                    }
                    chargeMAC(t, width: width, env: env, into: &c)
                } else {
                    width = env.sfuWidth
                    busy = builtLoops?[i]?.sfuCycles(accessCycles: env.blockingReadCycles) ?? sfuCycles(t, width: width, env: env)
                }
                if env.holdsDataflowBuffers {
                    for h in w.held[i] { blocks(bytes: h.bytes, parallelBits: h.parallelBits(width: width), env: env, into: &c) }
                }
                let placed = place(i, t, in: w, width: width, busy: busy, stage: 0, slots: slots, env: env, into: &c,
                                   fifoElements: fifoElements, streamedEdges: streamedEdges)
                end = max(end, placed.finish)
                if recorder.isRecording {
                    recorder.record(TaskRecord(
                        task: w.names[i], op: w.kinds[i], stage: stageIndex, lanes: t.isMAC ? Int(width) : 0,
                        startCycle: placed.start, finishCycle: placed.finish, busyCycles: placed.busy, macs: t.macs,
                        utilization: t.isMAC ? t.macs / (placed.busy * width) : 0, onChipBufferBytes: c.bufferBytes,
                        offChipBytes: t.offChipWeightBytes + t.externalInputBytes + (t.isSink ? t.outputBytes : 0)))
                }
            }
            if env.writeWait { end += writeWaitCycles(writtenBytes: written, env: env) }
            close(&c, end: end, env: env)
            return c
        }
    }

    /// Cycles a stage spends waiting for write responses (`write_wait`): one
    /// `writeResponseCycles` round trip per word of what it writes off chip, in series with its
    /// compute loop. What a stage writes is its smallest tensor from its last MAC task on: the
    /// built designs pool before they write and up-sample as they read back (InTAR CNN-4L
    /// sequential: `cnn-4L-sequential-kernel.cpp` lines 164-169, 228-233, 297-304, 371-378).
    @inline(__always)
    static func writeWaitCycles(writtenBytes: Double, env: CycleEnvironment) -> Double {
        guard writtenBytes.isFinite && writtenBytes > 0 else { return 0 }
        return (writtenBytes / env.wordBytes).rounded(.up) * env.writeResponseCycles
    }

    /// Cycles and bytes to move the tensors alive at a stage boundary that do not stay on chip:
    /// written out and read back.
    @inline(__always)
    static func spill(liveBytes: Double, scratchpadBytes: Double, policy: SpillPolicy, env: CycleEnvironment) -> (cycles: Double, bytes: Double) {
        let out = policy == .always ? liveBytes : max(0, liveBytes - scratchpadBytes)
        guard out > 0 else { return (0, 0) }
        if env.weightLoad == .blocking {
            let words = (out / env.wordBytes).rounded(.up)
            return (out / env.totalBytesPerCycle + words * env.blockingReadCycles, 2 * out)
        }
        return (2 * out / env.totalBytesPerCycle + 2 * env.burstLatencyCycles, 2 * out)
    }

    /// The pattern name of a stage, for schedules people read.
    static func pattern(_ w: CompiledWorkload, _ tasks: [Int], units: Int) -> String {
        let macs = tasks.filter { w.tasks[$0].isMAC }
        let members = Set(tasks)
        if macs.isEmpty { return "sfu" }
        if macs.count == 1 { return units > 1 ? "split" : "sequential" }
        var streams = 0, barriers = 0
        for i in tasks {
            let t = w.tasks[i]
            for e in t.predecessorStart..<(t.predecessorStart + t.predecessorCount) where members.contains(w.predecessorTask[e]) {
                if w.predecessorKinds[e] == .barrier { barriers += 1 } else { streams += 1 }
            }
        }
        if streams == 0 && barriers == 0 { return "task-parallel" }
        if barriers == 0 { return "pipeline" }
        return "mixed"
    }
}
