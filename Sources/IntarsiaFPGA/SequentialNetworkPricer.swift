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
            t.isMAC ? StageModel.macCycles(t, lanes: width, bytesPerCycle: bytesPerCycle, env: env) : StageModel.sfuCycles(t, width: env.sfuWidth, env: env)
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
        let n = g.nodes.count
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
            for k in 0..<Int(g.stageCount) {
                let spill = k == 0 ? (cycles: 0.0, bytes: 0.0)
                    : StageModel.spill(liveBytes: live[k], scratchpadBytes: scratchpadBytes, policy: point.spill, env: env)
                var c = StageCost()
                var end = 0.0
                while i < n && Int(g.nodes[i].stage) == k {
                    let layer = Int(g.nodes[i].layer)
                    let t = g.layerFacts[layer]
                    let width: Double, busy: Double
                    if t.isMAC {
                        width = macWidth
                        busy = layerCycles[layer]
                        StageModel.chargeMAC(t, width: width, env: env, into: &c)
                    } else {
                        width = env.sfuWidth
                        busy = sfuCached ? layerCycles[layer] : StageModel.sfuCycles(t, width: width, env: env)
                    }
                    end = max(end, StageModel.place(i, t, in: g, width: width, busy: busy, stage: Int32(k), slots: s, env: env, into: &c).finish)
                    i += 1
                }
                StageModel.close(&c, end: end, env: env)
                totals.add(c, spill: spill)
            }
        }
        totals.stages = Int(g.stageCount)
        return Figures(cycles: totals.cycles,
                       dynamicEnergyPicojoules: totals.dynamicEnergyPicojoules(repetitions: 1, picojoulesPerOffChipByte: picojoulesPerOffChipByte),
                       stageBram18k: totals.maxBram18k, stageUram: totals.maxUram)
    }

    /// Bytes alive before each stage: tensors made in an earlier stage and read in that one or
    /// later (`Schedule.init`), kept as differences between stages and summed in stage order.
    /// Byte counts are whole (or halves), so the running sum is exact.
    mutating func liveBytesBefore(_ g: NetworkGraph) -> [Double] {
        let stages = Int(g.stageCount)
        liveDelta.removeAll(keepingCapacity: true)
        liveDelta.append(contentsOf: repeatElement(0, count: stages + 1))
        for node in g.nodes where node.lastConsumerStage > node.stage {
            let bytes = g.layerFacts[Int(node.layer)].outputBytes
            liveDelta[Int(node.stage) + 1] += bytes
            liveDelta[Int(node.lastConsumerStage) + 1] -= bytes
        }
        var live = 0.0
        for k in 0..<stages {
            live += liveDelta[k]
            liveDelta[k] = live
        }
        return liveDelta
    }
}

/// The network a `SequentialNetworkPricer` is putting together, as the stage model reads it.
struct NetworkGraph: StageGraph {
    struct Node {
        var layer: Int32
        var stage: Int32
        /// The last stage that reads the task's output; -1: none (a sink, written off chip).
        var lastConsumerStage: Int32
        /// The task's inputs in `inputs`.
        var firstInput: Int32
        var endInput: Int32
    }
    struct Input {
        var producer: Int32
        var kind: EdgeKind
    }

    let layerFacts: [CompiledWorkload.TaskFacts]
    var nodes: [Node] = []
    var inputs: [Input] = []
    var stageCount: Int32 = 0
    /// The largest 1 / reduction over the network's MAC tasks (sets the SFU width).
    var outputsPerLane = 0.0

    init(layerFacts: [CompiledWorkload.TaskFacts]) { self.layerFacts = layerFacts }

    mutating func removeAll() {
        nodes.removeAll(keepingCapacity: true)
        inputs.removeAll(keepingCapacity: true)
        stageCount = 0
        outputsPerLane = 0
    }

    @inline(__always)
    mutating func append(_ layer: Int) -> Int {
        let t = layerFacts[layer]
        if StageModel.opensSequentialStage(t, first: nodes.isEmpty) { stageCount += 1 }
        if t.isMAC { outputsPerLane = max(outputsPerLane, 1 / t.reduction) }
        let first = Int32(inputs.count)
        nodes.append(Node(layer: Int32(layer), stage: stageCount - 1, lastConsumerStage: -1, firstInput: first, endInput: first))
        return nodes.count - 1
    }

    @inline(__always)
    mutating func read(_ producer: Int, kind: EdgeKind) {
        let i = nodes.count - 1
        precondition(producer >= 0 && producer < i, "a task reads an earlier task of its network")
        inputs.append(Input(producer: Int32(producer), kind: kind))
        nodes[i].endInput += 1
        nodes[producer].lastConsumerStage = max(nodes[producer].lastConsumerStage, nodes[i].stage)
    }

    @inline(__always) func facts(_ task: Int) -> CompiledWorkload.TaskFacts { layerFacts[Int(nodes[task].layer)] }
    @inline(__always) func isSink(_ task: Int) -> Bool { nodes[task].lastConsumerStage < 0 }
    @inline(__always) func inputs(_ task: Int) -> Range<Int> { Int(nodes[task].firstInput)..<Int(nodes[task].endInput) }
    @inline(__always) func producer(_ input: Int) -> Int { Int(inputs[input].producer) }
    @inline(__always) func kind(_ input: Int) -> EdgeKind { inputs[input].kind }
}
