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
    var macPipelineBaseDepthCycles: Double
    var sfuDepthCycles: Double
    var onChipPicojoulesPerByte: Double
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
    /// Whether each word a stage writes off chip waits `writeResponseCycles` for its response.
    var writeWait: Bool
    var writeResponseCycles: Double
    /// Whether the template's tasks hold the buffers their emitted loop orders need
    /// (`DataflowHeldBuffers`): the dataflow template.
    var holdsDataflowBuffers: Bool

    init(platform: FPGAPlatform, point: DesignPoint) {
        clockHz = platform.clockMHz * 1e6
        wordBytes = Double(point.wordBits) / 8
        let mem = platform.mainMemory
        channels = Double(mem.channels)
        channelBytesPerCycle = mem.channelGBps * 1e9 / clockHz
        blockingReadCycles = platform.blockingReadCycles
        burstLatencyCycles = platform.burstLatencyCycles
        stageSwitchCycles = (platform.stageSwitchNanoseconds * 1e-9 * clockHz).rounded(.up)
        macPipelineBaseDepthCycles = platform.macPipelineBaseDepthCycles
        sfuDepthCycles = platform.sfuDepthCycles
        onChipPicojoulesPerByte = platform.onChipPicojoulesPerByte
        weightLoad = point.weightLoad
        flatten = point.flattenLoops
        uramAvailable = platform.uram > platform.shell.uram
        sfuWidth = 16
        pipelined = point.pipelined
        matVec = point.matVec
        streamElements = Double(point.streamElements)
        writeWait = point.writeWait
        writeResponseCycles = platform.writeResponseCycles
        holdsDataflowBuffers = point.template == .dataflow
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
        e.writeWait = point.writeWait
        e.holdsDataflowBuffers = point.template == .dataflow
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
