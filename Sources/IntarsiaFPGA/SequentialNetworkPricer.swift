import IntarsiaCore

/// The sequential template's figures for networks put together task by task from a fixed set of
/// layers, without a `Workload` per network: every network of a search space (the 15,625
/// NAS-Bench-201 cells) on one design point, a few microseconds each. The figures are the
/// model's own: stages by the sequential template's rule, each task costed by the stage model's
/// per-task rules (`StageModel.chargeMAC`, `sfuCycles`, `place`, `close`), the spills before
/// each stage by `StageModel.spill`, the totals and dynamic energy by `StageTotals`, so they
/// equal `FPGAModel.evaluate` on the network's workload (tests). Worked out once per layer and
/// point: the layer's facts (`CompiledWorkload`) and a MAC layer's cycles on the unit.
///
/// Use: `begin()`, then `append` each task in topological order with the tasks it reads, then
/// `price()`.
public struct SequentialNetworkPricer {
    /// A network's figures on the point.
    public struct Figures: Sendable, Equatable {
        public var cycles: Double
        /// Energy without the card's static power: MACs, on-chip accesses, off-chip traffic
        /// (the model's energy less `platform.staticPowerW` over the latency).
        public var dynamicEnergyPicojoules: Double
        /// The most BRAM18K and URAM blocks one stage's buffers take (the scratchpad apart).
        public var stageBram18k: Double
        public var stageUram: Double
    }

    let point: DesignPoint
    /// The point's cycle terms, the SFU width set by the layers' MAC tasks.
    let env: CycleEnvironment
    let scratchpadBytes: Double
    let picojoulesPerOffChipByte: Double
    /// Lanes of a sequential stage's one MAC task.
    let macWidth: Double
    /// Per layer: a MAC layer's cycles on `macWidth` lanes; a special-function layer's at the
    /// SFU width of `env`.
    let layerCycles: [Double]
    var graph: NetworkGraph
    var slots: [TaskSlot] = []
    var liveDelta: [Double] = []

    /// A pricer for networks of `layers` (a workload of the distinct layers, by task index; a
    /// layer that reads the graph's input names `input`, so that its traffic counts) on a
    /// sequential-template point of `platform`.
    public init(layers: Workload, platform: FPGAPlatform, point: DesignPoint) {
        precondition(point.template == .sequential, "SequentialNetworkPricer prices the sequential template")
        let model = FPGAModel(workload: layers, platform: platform)
        let env = model.platformEnvironment.with(point)
        self.point = point
        self.env = env
        scratchpadBytes = Double(point.scratchpadKiB) * 1024
        picojoulesPerOffChipByte = model.picojoulesPerOffChipByte
        let facts = model.compiled.tasks
        // One MAC task a stage: the whole unit's lanes, the memory's channels not shared.
        let width = StageModel.macWidth(lanes: Double(point.lanes), macs: 1, macSum: 1, macTasks: 1, allocation: .uniform)
        let bytesPerCycle = env.unitBytesPerCycle(units: 1)
        macWidth = width
        layerCycles = facts.map { t in
            t.isMAC ? StageModel.macCycles(t, lanes: width, bytesPerCycle: bytesPerCycle, env: env) : StageModel.sfuCycles(t, width: env.sfuWidth)
        }
        graph = NetworkGraph(layerFacts: facts)
    }

    /// Starts a new network.
    public mutating func begin() { graph.removeAll() }

    /// Appends a task running `layer` that reads the tasks `inputs` (indices `append` returned
    /// for this network; -1 for none) over `kind` edges; returns its index.
    @discardableResult
    public mutating func append(_ layer: Int, reading a: Int = -1, _ b: Int = -1, _ c: Int = -1, kind: EdgeKind = .stream) -> Int {
        let i = graph.append(layer)
        if a >= 0 { graph.read(a, kind: kind) }
        if b >= 0 { graph.read(b, kind: kind) }
        if c >= 0 { graph.read(c, kind: kind) }
        return i
    }

    /// Adds an input to the task appended last (for tasks of more than three inputs).
    public mutating func read(_ producer: Int, kind: EdgeKind = .stream) { graph.read(producer, kind: kind) }

    /// The network's figures.
    public mutating func price() -> Figures {
        let g = graph
        let n = g.layerOf.count
        // The SFU width follows the network's own MAC tasks, as the model's does.
        var env = self.env
        let sfuCached = g.outputsPerLane == env.outputsPerLane
        if !sfuCached {
            env.outputsPerLane = g.outputsPerLane
            env = env.with(point)
        }
        if slots.count < n { slots = [TaskSlot](repeating: TaskSlot(startCycle: 0, finishCycle: 0, fillCycles: 0, stage: -1, outputAtEnd: false), count: n) }
        let live = liveBytesBefore(g)
        var totals = StageTotals()
        slots.withUnsafeMutableBufferPointer { s in
            var i = 0
            for k in 0..<g.stageCount {
                let spill = k == 0 ? (cycles: 0.0, bytes: 0.0)
                    : StageModel.spill(liveBytes: live[k], scratchpadBytes: scratchpadBytes, policy: point.spill, env: env)
                var c = StageCost()
                var end = 0.0
                while i < n && g.stageOf[i] == k {
                    let layer = g.layerOf[i]
                    let t = g.layerFacts[layer]
                    let width: Double, busy: Double
                    if t.isMAC {
                        width = macWidth
                        busy = layerCycles[layer]
                        StageModel.chargeMAC(t, width: width, env: env, into: &c)
                    } else {
                        width = env.sfuWidth
                        busy = sfuCached ? layerCycles[layer] : StageModel.sfuCycles(t, width: width)
                    }
                    end = max(end, StageModel.place(i, t, in: g, width: width, busy: busy, stage: Int32(k), slots: s, env: env, into: &c).finish)
                    i += 1
                }
                StageModel.close(&c, end: end, env: env)
                totals.add(c, spill: spill)
            }
        }
        totals.stages = g.stageCount
        return Figures(cycles: totals.cycles,
                       dynamicEnergyPicojoules: totals.dynamicEnergyPicojoules(repetitions: 1, picojoulesPerOffChipByte: picojoulesPerOffChipByte),
                       stageBram18k: totals.maxBram18k, stageUram: totals.maxUram)
    }

    /// Bytes alive before each stage: tensors made in an earlier stage and read in that one or
    /// later (`Schedule.init`), kept as differences between stages and summed in stage order.
    /// Byte counts are whole (or halves), so the running sum is exact.
    mutating func liveBytesBefore(_ g: NetworkGraph) -> [Double] {
        liveDelta.removeAll(keepingCapacity: true)
        liveDelta.append(contentsOf: repeatElement(0, count: g.stageCount + 1))
        for i in 0..<g.layerOf.count where g.lastConsumerStage[i] > g.stageOf[i] {
            let bytes = g.layerFacts[g.layerOf[i]].outputBytes
            liveDelta[Int(g.stageOf[i]) + 1] += bytes
            liveDelta[Int(g.lastConsumerStage[i]) + 1] -= bytes
        }
        var live = 0.0
        for k in 0..<g.stageCount {
            live += liveDelta[k]
            liveDelta[k] = live
        }
        return liveDelta
    }
}

/// The network a `SequentialNetworkPricer` is putting together, as the stage model reads it.
struct NetworkGraph: StageGraph {
    let layerFacts: [CompiledWorkload.TaskFacts]
    var layerOf: [Int] = []
    var stageOf: [Int32] = []
    /// The last stage that reads each task's output; -1: none (a sink, written off chip).
    var lastConsumerStage: [Int32] = []
    var inputStart: [Int] = []
    var inputEnd: [Int] = []
    var producers: [Int] = []
    var kinds: [EdgeKind] = []
    var stageCount = 0
    /// The largest 1 / reduction over the network's MAC tasks (sets the SFU width).
    var outputsPerLane = 0.0

    init(layerFacts: [CompiledWorkload.TaskFacts]) { self.layerFacts = layerFacts }

    mutating func removeAll() {
        layerOf.removeAll(keepingCapacity: true)
        stageOf.removeAll(keepingCapacity: true)
        lastConsumerStage.removeAll(keepingCapacity: true)
        inputStart.removeAll(keepingCapacity: true)
        inputEnd.removeAll(keepingCapacity: true)
        producers.removeAll(keepingCapacity: true)
        kinds.removeAll(keepingCapacity: true)
        stageCount = 0
        outputsPerLane = 0
    }

    @inline(__always)
    mutating func append(_ layer: Int) -> Int {
        let t = layerFacts[layer]
        if StageModel.opensSequentialStage(t, first: layerOf.isEmpty) { stageCount += 1 }
        if t.isMAC { outputsPerLane = max(outputsPerLane, 1 / t.reduction) }
        layerOf.append(layer)
        stageOf.append(Int32(stageCount - 1))
        lastConsumerStage.append(-1)
        inputStart.append(producers.count)
        inputEnd.append(producers.count)
        return layerOf.count - 1
    }

    @inline(__always)
    mutating func read(_ producer: Int, kind: EdgeKind) {
        let i = layerOf.count - 1
        precondition(producer >= 0 && producer < i, "a task reads an earlier task of its network")
        producers.append(producer)
        kinds.append(kind)
        inputEnd[i] += 1
        lastConsumerStage[producer] = max(lastConsumerStage[producer], stageOf[i])
    }

    @inline(__always) func facts(_ task: Int) -> CompiledWorkload.TaskFacts { layerFacts[layerOf[task]] }
    @inline(__always) func isSink(_ task: Int) -> Bool { lastConsumerStage[task] < 0 }
    @inline(__always) func inputs(_ task: Int) -> Range<Int> { inputStart[task]..<inputEnd[task] }
    @inline(__always) func producer(_ input: Int) -> Int { producers[input] }
    @inline(__always) func kind(_ input: Int) -> EdgeKind { kinds[input] }
}
