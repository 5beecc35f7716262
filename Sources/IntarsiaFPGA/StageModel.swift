import Foundation
import IntarsiaCore

/// Platform figures turned into per-cycle terms for one design point; built once per evaluation.
struct CycleEnvironment {
    var clockHz: Double
    var wordBytes: Double
    var channels: Double
    var channelBytesPerCycle: Double
    var blockingReadCycles: Double
    var burstLatencyCycles: Double
    var stageSwitchCycles: Double
    var weightLoad: WeightLoad
    var flatten: Bool
    var uramAvailable: Bool
    /// Elements per cycle of every special-function unit.
    var sfuWidth: Double
    /// The workload's largest 1 / reduction length over its MAC tasks (sets `sfuWidth`).
    var outputsPerLane: Double = 0
    var pipelined: Bool
    var matVec: MatVecMode
    /// Elements a FIFO between tasks carries per cycle (0: as many as the producer makes).
    var streamElements: Double

    init(platform: FPGAPlatform, point: DesignPoint) {
        clockHz = platform.clockMHz * 1e6
        wordBytes = Double(point.wordBits) / 8
        let mem = platform.mainMemory
        channels = Double(mem.channels)
        channelBytesPerCycle = mem.channelGBps * 1e9 / clockHz
        blockingReadCycles = platform.blockingReadCycles
        burstLatencyCycles = platform.burstLatencyCycles
        stageSwitchCycles = (ModelConstants.stageSwitchNanoseconds * 1e-9 * clockHz).rounded(.up)
        weightLoad = point.weightLoad
        flatten = point.flattenLoops
        uramAvailable = platform.uram > platform.shell.uram
        sfuWidth = 16
        pipelined = point.pipelined
        matVec = point.matVec
        streamElements = Double(point.streamElements)
    }

    /// The same platform with another design point's knobs (cheap: no platform look-ups).
    @inline(__always)
    func with(_ point: DesignPoint) -> CycleEnvironment {
        var e = self
        e.sfuWidth = ModelConstants.sfuWidth(lanes: point.lanes, outputsPerLane: outputsPerLane)
        e.wordBytes = Double(point.wordBits) / 8
        e.weightLoad = point.weightLoad
        e.flatten = point.flattenLoops
        e.pipelined = point.pipelined
        e.matVec = point.matVec
        e.streamElements = Double(point.streamElements)
        return e
    }

    /// Bytes per cycle one unit's data port moves when `units` units share the memory: the port
    /// width, or the channels that fall to it, whichever is less.
    @inline(__always)
    func unitBytesPerCycle(units: Int) -> Double {
        let share = max(1, (channels / Double(max(units, 1))).rounded(.down))
        return min(wordBytes, share * channelBytesPerCycle)
    }

    /// Bytes per cycle of the whole memory (spills and reloads between stages).
    var totalBytesPerCycle: Double { min(channels * channelBytesPerCycle, channels * wordBytes) }
}

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

/// One task's figures in a stage, for breakdowns.
public struct TaskRecord: Sendable, Codable {
    public var task: String
    public var op: String
    public var stage: Int
    public var lanes: Int
    public var startCycle: Double
    public var finishCycle: Double
    public var busyCycles: Double
    public var macs: Double
    public var utilization: Double
    public var onChipBufferBytes: Double
    public var offChipBytes: Double
}

/// One stage's figures, for breakdowns.
public struct StageRecord: Sendable, Codable {
    public var stage: Int
    public var tasks: [String]
    public var pattern: String
    public var cycles: Double
    public var spillBytesBefore: Double
    public var bufferBytes: Double
    /// Tensors (by producer) alive at the boundary before this stage: the scratchpad contents.
    public var liveBefore: [String]
    public var liveBytesBefore: Double
}

/// Receives per-task and per-stage figures while a schedule is costed; the search uses the
/// no-op one, `evaluate` a collecting one.
public protocol CostRecorder {
    var isRecording: Bool { get }
    mutating func record(_ task: TaskRecord)
    mutating func record(_ stage: StageRecord)
}

public struct NoRecorder: CostRecorder {
    public init() {}
    public var isRecording: Bool { false }
    @inline(__always) public mutating func record(_ task: TaskRecord) {}
    @inline(__always) public mutating func record(_ stage: StageRecord) {}
}

public struct BreakdownRecorder: CostRecorder {
    public var tasks: [TaskRecord] = []
    public var stages: [StageRecord] = []
    public init() {}
    public var isRecording: Bool { true }
    public mutating func record(_ task: TaskRecord) { tasks.append(task) }
    public mutating func record(_ stage: StageRecord) { stages.append(stage) }
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
        guard bytes >= 1024 else { return }  // small FIFOs live in LUTRAM / SRLs
        c.bufferBytes += bytes
        if env.uramAvailable && bytes >= ModelConstants.uramThresholdBytes {
            c.uram += max((bytes / FPGAPlatform.uramBytes).rounded(.up), (parallelBits / 72).rounded(.up))
        } else {
            c.bram18k += max((bytes / FPGAPlatform.bram18kBytes).rounded(.up), (parallelBits / 36).rounded(.up))
        }
    }

    /// Costs `tasks` (indices in topological order, ascending) run as one stage on `lanes`
    /// lanes, with at most `maxUnits` MAC tasks at once. Nil when the stage has more MAC tasks
    /// than units. Inputs produced by earlier stages are ready at the stage start.
    static func cost<S: Collection<Int>, R: CostRecorder>(_ w: CompiledWorkload, _ tasks: S, lanes: Int, maxUnits: Int,
                                                          allocation: LaneAllocation, env: CycleEnvironment,
                                                          stageIndex: Int, recorder: inout R, taskLanes: [Double]? = nil) -> StageCost? {
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
        let n = w.tasks.count
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 6 * n) { buf -> StageCost in
            // Per task index: start, finish, fill, width, 1 when the task is in this stage, and 1
            // when its output appears only at its end (an outer-product accumulation).
            for k in 0..<n { buf[6 * k + 4] = 0 }
            for i in tasks { buf[6 * i + 4] = 1; buf[6 * i + 5] = 0 }
            var end = 0.0
            for i in tasks {
                let t = w.tasks[i]
                var width: Double
                var busy: Double
                if t.isMAC {
                    if let given = taskLanes {
                        width = max(1, given[i])
                    } else {
                        let share = allocation == .uniform || macSum == 0 ? 1 / Double(macTasks) : t.macs / macSum
                        width = max(1, (totalLanes * share).rounded(.down))
                    }
                    busy = macCycles(t, lanes: width, bytesPerCycle: bw, env: env)
                    c.macDSP += (width * t.dspPerMAC).rounded(.up)
                    c.macLUT += width * t.lutPerLane + ModelConstants.lutPerUnit
                    c.macFF += width * t.ffPerLane + ModelConstants.ffPerUnit
                    c.offChipBytes += t.offChipWeightBytes
                    c.energyPicojoules += t.macs * t.picojoulesPerMAC
                    if t.rows > 1 && t.offChipWeightBytes > 0 && env.weightLoad != .blocking {
                        let columnBytes = t.reduction * t.weightElementBytes * (env.weightLoad == .doubleBuffered ? 2 : 1)
                        blocks(bytes: columnBytes, parallelBits: min(width, t.reduction) * t.weightElementBytes * 8, env: env, into: &c)
                    }
                } else {
                    width = env.sfuWidth
                    busy = (t.outputElements * t.sfuPasses / width).rounded(.up) + ModelConstants.sfuDepthCycles
                }
                c.offChipBytes += t.externalInputBytes
                if t.isSink { c.offChipBytes += t.outputBytes }
                c.onChipBytesAccessed += 2 * t.outputBytes + t.offChipWeightBytes
                // Timing: a streamed input lets the task start after its producer's first chunk
                // and finish one of its own chunks after the producer; a barrier waits for all.
                var start = 0.0
                var streamedFinish = 0.0
                var atEnd = false
                for e in t.predecessorStart..<(t.predecessorStart + t.predecessorCount) {
                    let p = w.predecessorTask[e]
                    let pj = 6 * p
                    guard buf[pj + 4] == 1 else { continue }  // produced in an earlier stage: ready
                    var streamed: Bool
                    switch w.predecessorKinds[e] {
                    case .stream:
                        streamed = true
                    case .either:
                        // Streams when every other input of the task is complete before the stage.
                        streamed = true
                        for o in t.predecessorStart..<(t.predecessorStart + t.predecessorCount) where o != e && buf[6 * w.predecessorTask[o] + 4] == 1 {
                            streamed = false
                        }
                    case .barrier:
                        // A matrix-vector product may accumulate an outer product instead of dot
                        // products: it then takes its input as it streams (from a producer that
                        // emits progressively, under `auto`) and has its output only at the end.
                        streamed = t.isMAC && t.rows == 1 && (env.matVec == .outer || (env.matVec == .auto && buf[pj + 5] == 0))
                        if streamed {
                            atEnd = true
                            blocks(bytes: t.outputBytes * 2, parallelBits: width * 32, env: env, into: &c)  // 32-bit accumulators
                        }
                    }
                    if streamed {
                        if buf[pj + 5] == 1 { atEnd = true }
                        if env.streamElements > 0 {
                            busy = max(busy, (w.tasks[p].outputElements / env.streamElements).rounded(.up))
                        }
                        start = max(start, buf[pj] + buf[pj + 2])
                        streamedFinish = max(streamedFinish, buf[pj + 1])
                        let fifo = 2 * w.tasks[p].outputBytes / w.tasks[p].chunks
                        blocks(bytes: fifo, parallelBits: width * t.elementBytes * 8, env: env, into: &c)
                    } else {
                        start = max(start, buf[pj + 1])
                        blocks(bytes: w.tasks[p].outputBytes, parallelBits: width * t.elementBytes * 8, env: env, into: &c)
                    }
                }
                // After its streamed inputs end a task needs one chunk more; its first output comes
                // one chunk after it starts, or only at its end for an outer-product accumulation.
                let chunk = busy / t.chunks
                let fill = atEnd ? busy : chunk
                let finish = max(start + busy, streamedFinish > 0 ? streamedFinish + chunk : 0)
                buf[6 * i] = start
                buf[6 * i + 1] = finish
                buf[6 * i + 2] = fill
                buf[6 * i + 3] = width
                buf[6 * i + 5] = atEnd ? 1 : 0
                end = max(end, finish)
                if recorder.isRecording {
                    recorder.record(TaskRecord(
                        task: w.names[i], op: w.kinds[i], stage: stageIndex, lanes: t.isMAC ? Int(width) : 0,
                        startCycle: start, finishCycle: finish, busyCycles: busy, macs: t.macs,
                        utilization: t.isMAC ? t.macs / (busy * width) : 0, onChipBufferBytes: c.bufferBytes,
                        offChipBytes: t.offChipWeightBytes + t.externalInputBytes + (t.isSink ? t.outputBytes : 0)))
                }
            }
            c.cycles = end + env.stageSwitchCycles
            c.energyPicojoules += c.onChipBytesAccessed * ModelConstants.picojoulesPerOnChipByte
            return c
        }
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
