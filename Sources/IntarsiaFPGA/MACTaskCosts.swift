import Foundation
import IntarsiaCore

/// One way to run a MAC task in a balanced pipeline: its lanes, the BRAM18K and URAM blocks its
/// weight buffers take, and the cycles it needs (`StageBalancer.Option`).
public struct LaneOption: Sendable, Equatable {
    public var lanes: Int
    public var bram18k: Double
    public var uram: Double
    public var cycles: Double
    public init(lanes: Int, bram18k: Double = 0, uram: Double = 0, cycles: Double) {
        self.lanes = lanes
        self.bram18k = bram18k
        self.uram = uram
        self.cycles = cycles
    }
}

/// A MAC task's cycles and weight-buffer blocks at any lane count, for one design point: what
/// the stage balancer trades. The point's cycle environment and the memory's bytes per cycle are
/// worked out once here rather than once per lane option (the balancer asks for 30 to 40 options
/// per task on every point it balances).
public struct MACTaskCosts: Sendable {
    let tasks: [CompiledWorkload.TaskFacts]
    let env: CycleEnvironment
    let bytesPerCycle: Double

    /// Cycles the task takes alone on `lanes` lanes (`StageModel.macCycles`).
    @inline(__always)
    public func cycles(_ task: Int, lanes: Int) -> Double {
        StageModel.macCycles(tasks[task], lanes: Double(lanes), bytesPerCycle: bytesPerCycle, env: env)
    }

    /// BRAM18K and URAM blocks of the task's weight buffers on `lanes` lanes (none when the
    /// weights are read blocking, or the task has one row or no off-chip weights).
    @inline(__always)
    public func bufferBlocks(_ task: Int, lanes: Int) -> (bram18k: Double, uram: Double) {
        let t = tasks[task]
        var c = StageCost()
        StageModel.weightBufferBlocks(t, bytes: StageModel.weightBufferBytes(t, env: env), width: Double(lanes), env: env, into: &c)
        return (c.bram18k, c.uram)
    }

    /// Whether two tasks have the same options at the same lane counts (the facts the cycles
    /// and buffer blocks depend on are equal): GPT-2's q, k and v projections, ResNet's repeats.
    public func sameOptions(_ a: Int, _ b: Int) -> Bool {
        let x = tasks[a], y = tasks[b]
        return x.rows == y.rows && x.reduction == y.reduction && x.columns == y.columns && x.weightElementBytes == y.weightElementBytes
            && x.offChipWeightBytes == y.offChipWeightBytes && x.externalInputBytes == y.externalInputBytes
    }

    /// The task's option at each lane count of `lanes`, in that order (the same figures as
    /// `cycles` and `bufferBlocks`, in one loop over the task's facts).
    public func options(_ task: Int, lanes: [Int]) -> [LaneOption] {
        let t = tasks[task]
        let model = MACCycleModel(t, bytesPerCycle: bytesPerCycle, env: env)
        let bufferBytes = StageModel.weightBufferBytes(t, env: env)
        var out: [LaneOption] = []
        out.reserveCapacity(lanes.count)
        for l in lanes {
            var c = StageCost()
            StageModel.weightBufferBlocks(t, bytes: bufferBytes, width: Double(l), env: env, into: &c)
            out.append(LaneOption(lanes: l, bram18k: c.bram18k, uram: c.uram, cycles: model.cycles(lanes: Double(l))))
        }
        return out
    }
}

/// `StageModel.macCycles` split into what depends on the lanes (the loop nest's compute cycles)
/// and what does not (the weight and input traffic, worked out once per task): the balancer asks
/// for 30 to 40 lane counts per task. The arithmetic and its order are macCycles' own.
struct MACCycleModel {
    enum Traffic { case none, doubleBuffered, buffered, blocking }
    let reduction: Double, rows: Double, columns: Double
    let pipelined: Bool, flatten: Bool
    let baseDepth: Double
    let traffic: Traffic
    /// none: input cycles; double-buffered: the port-bound floor; else unused.
    let floor: Double
    /// double-buffered: burst latency, then the first column's words; buffered: per-column
    /// loads, then input cycles; blocking: the blocking reads.
    let add1: Double, add2: Double

    @inline(__always)
    init(_ t: CompiledWorkload.TaskFacts, bytesPerCycle bw: Double, env: CycleEnvironment) {
        reduction = t.reduction; rows = t.rows; columns = t.columns
        pipelined = env.pipelined; flatten = env.flatten; baseDepth = env.macPipelineBaseDepthCycles
        let inputCycles = t.externalInputBytes / bw
        guard t.offChipWeightBytes > 0 else {
            traffic = .none; floor = inputCycles; add1 = 0; add2 = 0
            return
        }
        let wordsPerColumn = (t.reduction * t.weightElementBytes / env.wordBytes).rounded(.up)
        let cyclesPerWord = max(1, env.wordBytes / bw)
        switch env.weightLoad {
        case .doubleBuffered:
            // First column's burst is exposed; after that loads hide behind compute or bound it.
            traffic = .doubleBuffered
            floor = (t.offChipWeightBytes + t.externalInputBytes) / bw
            add1 = env.burstLatencyCycles
            add2 = wordsPerColumn * cyclesPerWord
        case .buffered:
            traffic = .buffered; floor = 0
            add1 = t.columns * (env.burstLatencyCycles + wordsPerColumn * cyclesPerWord)
            add2 = inputCycles
        case .blocking:
            traffic = .blocking; floor = 0
            let inputWords = (t.externalInputBytes / env.wordBytes).rounded(.up)
            add1 = (t.columns * wordsPerColumn + inputWords) * env.blockingReadCycles
            add2 = 0
        }
    }

    @inline(__always)
    func cycles(lanes: Double) -> Double {
        let laneK = min(lanes, reduction)
        // Lanes within the reduction: lanes / laneK is 1 and rows / 1 is rows, exactly, so the
        // two divisions are skipped (the same figures: division is the loop's cost).
        let within = lanes > 0 && lanes <= reduction
        let laneM = within ? 1 : max(1, (lanes / laneK).rounded(.down))
        let kSteps = (reduction / laneK).rounded(.up)
        let rowSteps = within ? rows.rounded(.up) : (rows / laneM).rounded(.up)
        let depth = baseDepth + Self.ceilLog2(laneK)
        let iterations = columns * rowSteps * kSteps
        // Not pipelined: every iteration waits for the previous one's whole body (depth cycles).
        let compute = !pipelined ? iterations * depth
            : flatten ? iterations + depth
            : columns * rowSteps * (kSteps + depth)
        switch traffic {
        case .none: return max(compute, floor)
        case .doubleBuffered: return max(compute, floor) + add1 + add2
        case .buffered: return compute + add1 + add2
        case .blocking: return compute + add1
        }
    }

    /// `log2(x).rounded(.up)`; by bit count for whole x below 2^32 (log2 is exact at powers of
    /// two and not a whole number between them there), else by `log2`.
    @inline(__always)
    static func ceilLog2(_ x: Double) -> Double {
        if x >= 1 && x < 4_294_967_296 && x == x.rounded(.down) {
            let n = UInt64(x)
            return n <= 1 ? 0 : Double(64 - (n - 1).leadingZeroBitCount)
        }
        return log2(x).rounded(.up)
    }
}

extension FPGAModel {
    /// The costs of this point's MAC tasks in a dataflow design, the memory's channels shared
    /// among `units` MAC tasks (default: all of the workload's).
    public func macTaskCosts(_ p: DesignPoint, sharing units: Int? = nil) -> MACTaskCosts {
        let env = platformEnvironment.with(p)
        return MACTaskCosts(tasks: compiled.tasks, env: env,
                            bytesPerCycle: env.unitBytesPerCycle(units: max(units ?? compiled.macTaskCount, 1)))
    }
}
