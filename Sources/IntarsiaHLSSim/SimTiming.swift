import IntarsiaCore

/// The timing figures the simulation uses, all from the platform the model uses.
public struct SimTiming: Sendable {
    /// Depth of a MAC reduction pipeline before its adder tree (the model's
    /// `macPipelineBaseDepthCycles`; PlatformConstants states its source).
    public var macBaseDepthCycles: Double
    /// Depth of a special-function pipeline (the model's `sfuDepthCycles`).
    public var sfuDepthCycles: Double
    /// Cycles before an off-chip burst's first word (the model's `burstLatencyCycles`).
    public var burstLatencyCycles: Double
    /// Bytes per cycle of one memory channel (the platform's channel GB/s over its clock).
    public var channelBytesPerCycle: Double
    public var channels: Int
    /// Bytes of one m_axi word (the design's `word_bits` / 8).
    public var wordBytes: Double
    /// Vitis HLS pipelines a loop without a PIPELINE pragma when its trip count is at least this
    /// (`config_compile -pipeline_loops`, default 64: UG1399, "Automatic loop pipelining").
    public var autoPipelineTrips: Int = 64

    public init(platform: FPGAPlatform, wordBits: Int) {
        macBaseDepthCycles = platform.macPipelineBaseDepthCycles
        sfuDepthCycles = platform.sfuDepthCycles
        burstLatencyCycles = platform.burstLatencyCycles
        let mem = platform.mainMemory
        channels = mem.channels
        channelBytesPerCycle = mem.channelGBps * 1e9 / (platform.clockMHz * 1e6)
        wordBytes = Double(wordBits) / 8
    }

    /// Bytes per cycle of one port when `ports` m_axi ports share the channels, as the model's
    /// `unitBytesPerCycle`: the word, or the channels that fall to the port, whichever is less.
    func portBytesPerCycle(ports: Int) -> Double {
        let share = max(1, (Double(channels) / Double(max(ports, 1))).rounded(.down))
        return min(wordBytes, share * channelBytesPerCycle)
    }
}

/// One step of a process's timeline: a stretch of cycles with no stream access, or a pipelined
/// loop whose iterations read and write the listed streams, in runs of iterations that touch the
/// same streams (one run when every iteration does the same; several when an access sits under a
/// condition on the loop's index, as in a pooling window's last element).
struct Segment: Sendable {
    struct Run: Sendable, Equatable {
        var trips: Int
        var reads: [Int]
        var writes: [Int]
    }
    enum Kind: Sendable {
        case delay(Double)
        case loop(ii: Double, depth: Double, runs: [Run])
    }
    var tag: String
    var kind: Kind
}
