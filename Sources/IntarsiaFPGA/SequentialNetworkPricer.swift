import IntarsiaCore

/// The sequential template's figures for networks put together task by task from a fixed set of
/// layers, without a `Workload` per network: every network of a search space (the 15,625
/// NAS-Bench-201 cells) on one design point, a few microseconds each. The figures are the
/// model's own: stages by the sequential template's rule, each task costed by the stage model's
/// per-task rules (`StageModel.chargeMAC`, `sfuCycles`, `place`, `close`), the spills before
/// each stage by `StageModel.spill`, the totals and dynamic energy by `StageTotals`, so they
/// equal `FPGAModel.evaluate` on the network's workload (tests). Worked out once per layer and
/// point: the layer's facts (`CompiledWorkload`), a MAC layer's cycles on the unit and what it
/// charges its stage (`chargeMAC`: a MAC task opens its sequential stage, so the stage's cost
/// starts from that charge).
///
/// Use: `begin()`, then `append` each task in topological order with the tasks it reads (or a
/// `Block` of tasks at once), then `price()`.
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
    /// Per layer: a MAC layer's `StageModel.chargeMAC` on `macWidth` lanes into an empty stage
    /// cost (a special-function layer's: empty).
    let macCharge: [StageCost]
    var graph: NetworkGraph
    // Scratch reused between networks: per task, per stage.
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
        macCharge = facts.map { t in
            var c = StageCost()
            if t.isMAC { StageModel.chargeMAC(t, width: width, env: env, into: &c) }
            return c
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

    /// Appends `block`'s tasks, its `Block.input` being task `x`; returns the task that is the
    /// block's output (`x` when the block's output is its input).
    @discardableResult
    public mutating func append(_ block: Block, reading x: Int) -> Int { graph.append(block, reading: x) }

    /// The network's figures.
    public mutating func price() -> Figures {
        // The SFU width follows the network's own MAC tasks, as the model's does.
        var env = self.env
        let sfuCached = graph.outputsPerLane == env.outputsPerLane
        if !sfuCached {
            env.outputsPerLane = graph.outputsPerLane
            env = env.with(point)
        }
        let n = graph.count
        let stages = Int(graph.stageCount)
        // The scratch is moved out while it is written through unsafe buffers, and back.
        var slots: [TaskSlot] = []
        var delta: [Double] = []
        swap(&slots, &self.slots)
        swap(&delta, &liveDelta)
        if slots.count < n { slots = [TaskSlot](repeating: TaskSlot(startCycle: 0, finishCycle: 0, fillCycles: 0, stage: -1, outputAtEnd: false), count: n) }
        delta.removeAll(keepingCapacity: true)
        delta.append(contentsOf: repeatElement(0, count: stages + 1))
        var totals = StageTotals()
        graph.withView { g in
            slots.withUnsafeMutableBufferPointer { s in
                delta.withUnsafeMutableBufferPointer { d in
                    layerCycles.withUnsafeBufferPointer { cycles in
                        macCharge.withUnsafeBufferPointer { charge in
                            totals = costStages(g, env: env, sfuCached: sfuCached, layerCycles: cycles, macCharge: charge, slots: s, liveDelta: d)
                        }
                    }
                }
            }
        }
        swap(&slots, &self.slots)
        swap(&delta, &liveDelta)
        return Figures(cycles: totals.cycles,
                       dynamicEnergyPicojoules: totals.dynamicEnergyPicojoules(repetitions: 1, picojoulesPerOffChipByte: picojoulesPerOffChipByte),
                       stageBram18k: totals.maxBram18k, stageUram: totals.maxUram)
    }

    /// The stages of network `g` in order, each task costed by the stage model's rules. Bytes
    /// alive before each stage: tensors made in an earlier stage and read in that one or later
    /// (`Schedule.init`), kept as differences between stages (`liveDelta`, zeros on entry) and
    /// summed in stage order; every difference for stage k comes from a task of an earlier
    /// stage, so it is complete when stage k starts. Byte counts are whole (or halves), so the
    /// running sum is exact.
    @inline(__always)
    func costStages(_ g: NetworkGraphView, env: CycleEnvironment, sfuCached: Bool, layerCycles: UnsafeBufferPointer<Double>,
                    macCharge: UnsafeBufferPointer<StageCost>, slots s: UnsafeMutableBufferPointer<TaskSlot>,
                    liveDelta d: UnsafeMutableBufferPointer<Double>) -> StageTotals {
        let n = g.nodes.count
        let stages = d.count - 1
        var totals = StageTotals()
        var live = 0.0
        var i = 0
        for k in 0..<stages {
            live += d[k]
            let spill = k == 0 ? (cycles: 0.0, bytes: 0.0)
                : StageModel.spill(liveBytes: live, scratchpadBytes: scratchpadBytes, policy: point.spill, env: env)
            var c = StageCost()
            var end = 0.0
            while i < n && Int(g.nodes[i].stage) == k {
                let node = g.nodes[i]
                let layer = Int(node.layer)
                let t = g.layerFacts[layer]
                let width: Double, busy: Double
                if t.isMAC {
                    // A MAC task opens its stage (`opensSequentialStage`): the stage's cost so far
                    // is its charge.
                    width = macWidth
                    busy = layerCycles[layer]
                    c = macCharge[layer]
                } else {
                    width = env.sfuWidth
                    busy = sfuCached ? layerCycles[layer] : StageModel.sfuCycles(t, width: width, env: env)
                }
                end = max(end, StageModel.place(i, t, in: g, width: width, busy: busy, stage: Int32(k), slots: s, env: env, into: &c).finish)
                if node.lastConsumerStage > node.stage {
                    d[k + 1] += t.outputBytes
                    d[Int(node.lastConsumerStage) + 1] -= t.outputBytes
                }
                i += 1
            }
            StageModel.close(&c, end: end, env: env)
            totals.add(c, spill: spill)
        }
        totals.stages = stages
        return totals
    }
}
