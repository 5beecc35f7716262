import IntarsiaCore

extension SequentialNetworkPricer {
    /// A run of tasks that reads one task of the network (a cell of a cell-based search space),
    /// put together once and appended as a whole wherever it repeats
    /// (`SequentialNetworkPricer.append(_:reading:)`): one call instead of one per task.
    ///
    /// Tasks of a block are referred to by the numbers `append` returns (1, 2, …), the task the
    /// block reads by `input` (0).
    public struct Block: Sendable {
        struct Task: Sendable {
            var layer: Int32
            /// The task's inputs are `inputs[previous task's endInput ..< endInput]`.
            var endInput: Int32
        }
        struct Input: Sendable {
            /// `input` or a task of the block (1-based).
            var ref: Int32
            var kind: EdgeKind
        }

        /// The task the block reads when appended.
        public static let input = 0

        var tasks: [Task] = []
        var inputs: [Input] = []
        /// The largest layer index of the block's tasks (checked against the pricer's layers).
        var maxLayer = -1
        /// What the block's consumers read: one of its tasks, or `input` when it computes
        /// nothing its consumers read.
        public var output = Block.input

        public init() {}

        /// Empties the block, keeping its storage.
        public mutating func removeAll() {
            tasks.removeAll(keepingCapacity: true)
            inputs.removeAll(keepingCapacity: true)
            maxLayer = -1
            output = Block.input
        }

        /// Appends a task running `layer` that reads `a`, `b`, `c` (`input` or tasks of the block
        /// appended before; -1 for none) over `kind` edges; returns its number.
        @discardableResult
        public mutating func append(_ layer: Int, reading a: Int = -1, _ b: Int = -1, _ c: Int = -1, kind: EdgeKind = .stream) -> Int {
            precondition(layer >= 0, "a block's task runs a layer of the pricer")
            func read(_ r: Int) {
                guard r >= 0 else { return }
                precondition(r <= tasks.count, "a block's task reads the block's input or an earlier task of the block")
                inputs.append(Input(ref: Int32(r), kind: kind))
            }
            read(a)
            read(b)
            read(c)
            tasks.append(Task(layer: Int32(layer), endInput: Int32(inputs.count)))
            maxLayer = max(maxLayer, layer)
            return tasks.count
        }
    }
}

/// The network a `SequentialNetworkPricer` is putting together, as the stage model reads it.
/// Its storage is kept between networks: the first `count` nodes and `inputCount` inputs are
/// the network's, the rest spare, so that appending a block writes without growing or copying.
struct NetworkGraph {
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
    var count = 0
    var inputCount = 0
    var stageCount: Int32 = 0
    /// The largest 1 / reduction over the network's MAC tasks (sets the SFU width).
    var outputsPerLane = 0.0

    init(layerFacts: [CompiledWorkload.TaskFacts]) { self.layerFacts = layerFacts }

    mutating func removeAll() {
        count = 0
        inputCount = 0
        stageCount = 0
        outputsPerLane = 0
    }

    /// Makes room for `tasks` more tasks and `edges` more inputs.
    mutating func reserve(tasks: Int, edges: Int) {
        if nodes.count < count + tasks {
            let node = Node(layer: 0, stage: 0, lastConsumerStage: 0, firstInput: 0, endInput: 0)
            nodes.append(contentsOf: repeatElement(node, count: max(count + tasks, 2 * nodes.count) - nodes.count))
        }
        if inputs.count < inputCount + edges {
            inputs.append(contentsOf: repeatElement(Input(producer: 0, kind: .stream), count: max(inputCount + edges, 2 * inputs.count) - inputs.count))
        }
    }

    /// The stage a task of facts `t` appended after `count` tasks runs in (opening one when the
    /// task does), and the network's `outputsPerLane` with it.
    @inline(__always)
    static func stage(of t: CompiledWorkload.TaskFacts, after count: Int, stages: inout Int32, outputsPerLane: inout Double) -> Int32 {
        if StageModel.opensSequentialStage(t, first: count == 0) { stages += 1 }
        if t.isMAC { outputsPerLane = max(outputsPerLane, 1 / t.reduction) }
        return stages - 1
    }

    mutating func append(_ layer: Int) -> Int {
        reserve(tasks: 1, edges: 0)
        let stage = Self.stage(of: layerFacts[layer], after: count, stages: &stageCount, outputsPerLane: &outputsPerLane)
        let first = Int32(inputCount)
        nodes[count] = Node(layer: Int32(layer), stage: stage, lastConsumerStage: -1, firstInput: first, endInput: first)
        count += 1
        return count - 1
    }

    mutating func read(_ producer: Int, kind: EdgeKind) {
        let i = count - 1
        precondition(producer >= 0 && producer < i, "a task reads an earlier task of its network")
        reserve(tasks: 0, edges: 1)
        inputs[inputCount] = Input(producer: Int32(producer), kind: kind)
        inputCount += 1
        nodes[i].endInput += 1
        nodes[producer].lastConsumerStage = max(nodes[producer].lastConsumerStage, nodes[i].stage)
    }

    /// Appends `block`'s tasks reading task `x`; returns the task the block's output is. The
    /// block's references point backwards by construction, so only `x` and the layers are
    /// checked, and the tasks are written through unsafe buffers.
    mutating func append(_ block: SequentialNetworkPricer.Block, reading x: Int) -> Int {
        precondition(x >= 0 && x < count, "a block reads a task of its network")
        precondition(block.maxLayer < layerFacts.count, "a block's tasks run layers of the pricer")
        reserve(tasks: block.tasks.count, edges: block.inputs.count)
        let base = count - 1  // block task k (1-based) is node base + k
        var count = self.count, inputCount = self.inputCount
        var stages = stageCount, outputsPerLane = self.outputsPerLane
        // Moved out while written through unsafe buffers, and back.
        var nodes: [Node] = [], inputs: [Input] = []
        swap(&nodes, &self.nodes)
        swap(&inputs, &self.inputs)
        nodes.withUnsafeMutableBufferPointer { n in
            inputs.withUnsafeMutableBufferPointer { edges in
                layerFacts.withUnsafeBufferPointer { facts in
                    block.inputs.withUnsafeBufferPointer { refs in
                        var input = 0
                        for task in block.tasks {
                            let stage = Self.stage(of: facts[Int(task.layer)], after: count, stages: &stages, outputsPerLane: &outputsPerLane)
                            let first = Int32(inputCount)
                            while input < Int(task.endInput) {
                                let r = refs[input]
                                let producer = r.ref == 0 ? x : base + Int(r.ref)
                                edges[inputCount] = Input(producer: Int32(producer), kind: r.kind)
                                inputCount += 1
                                n[producer].lastConsumerStage = max(n[producer].lastConsumerStage, stage)
                                input += 1
                            }
                            n[count] = Node(layer: task.layer, stage: stage, lastConsumerStage: -1, firstInput: first, endInput: Int32(inputCount))
                            count += 1
                        }
                    }
                }
            }
        }
        swap(&nodes, &self.nodes)
        swap(&inputs, &self.inputs)
        self.count = count
        self.inputCount = inputCount
        stageCount = stages
        self.outputsPerLane = outputsPerLane
        return block.output == 0 ? x : base + block.output
    }

    /// Calls `body` with the network over unsafe buffers (no bounds checks in the pricing loop).
    @inline(__always)
    func withView<R>(_ body: (NetworkGraphView) -> R) -> R {
        layerFacts.withUnsafeBufferPointer { facts in
            nodes.withUnsafeBufferPointer { nodes in
                inputs.withUnsafeBufferPointer { inputs in
                    body(NetworkGraphView(layerFacts: facts, nodes: UnsafeBufferPointer(rebasing: nodes[..<count]),
                                          inputs: UnsafeBufferPointer(rebasing: inputs[..<inputCount])))
                }
            }
        }
    }
}

/// A `NetworkGraph` as the stage model reads it, over its storage.
struct NetworkGraphView: StageGraph {
    let layerFacts: UnsafeBufferPointer<CompiledWorkload.TaskFacts>
    let nodes: UnsafeBufferPointer<NetworkGraph.Node>
    let inputs: UnsafeBufferPointer<NetworkGraph.Input>

    @inline(__always) func facts(_ task: Int) -> CompiledWorkload.TaskFacts { layerFacts[Int(nodes[task].layer)] }
    @inline(__always) func isSink(_ task: Int) -> Bool { nodes[task].lastConsumerStage < 0 }
    @inline(__always) func inputs(_ task: Int) -> Range<Int> { Int(nodes[task].firstInput)..<Int(nodes[task].endInput) }
    @inline(__always) func producer(_ input: Int) -> Int { Int(inputs[input].producer) }
    @inline(__always) func kind(_ input: Int) -> EdgeKind { inputs[input].kind }
}
