import IntarsiaCore
import IntarsiaFPGA

/// The sequential template's cost of NAS-Bench-201 networks without a `Workload` per cell: each
/// cell's macro network is put together task by task (the tasks, order and edges of
/// `NB201Network.workload`) from the network's few distinct layers and priced by IntarsiaFPGA's
/// `SequentialNetworkPricer`, which costs it with the FPGA model's own stage rules.
///
/// Why not the ASIC's per-edge sum: the sequential template (FPGAModel, `sequentialSchedule`)
/// runs one stage per MAC layer, and the special-function tasks that follow a layer in the
/// task order (ReLU, average pool, node sum) join its stage, streaming from it. A stage costs
/// the *largest* finish time of its tasks plus a switch; and before each stage the tensors
/// still alive (the cell input until its last reader, nodes read by later edges) spill what
/// exceeds the scratchpad — a `max(0, live − scratchpad)` of bytes summed over tensors. Both
/// are maxima, and which tasks share a stage and which tensors are alive depend on the whole
/// cell (how many edges reach a node, which nodes are dead, the next cell's first ReLUs
/// joining this cell's last stage). So the cost is not a fixed part plus a sum over edges. It is
/// still cheap to compute exactly: the macro network has about 250 tasks and every figure is
/// O(1) per task, with each layer's facts and a MAC layer's cycles worked out once per unit.
struct NB201SequentialPricer {
    var pricer: SequentialNetworkPricer
    /// One cell of the stage being put together (reused).
    var block = SequentialNetworkPricer.Block()
    // Layer ids (task indices of the layers' workload).
    var stem = 0, gap = 0, classifier = 0
    var relu: [Int] = [], conv1: [Int] = [], conv3: [Int] = [], avgPool: [Int] = [], sum: [Int] = []
    var reduceA: [Int] = [], reduceB: [Int] = [], reducePool: [Int] = [], reduceShortcut: [Int] = [], reduceAdd: [Int] = []
    /// Edges from nodes that receive nothing: run (reading the cell input, as the workload
    /// does) or dropped, as `NB201Network.workload`.
    var deadOperations = NB201Network.DeadOperations.execute

    init(unit: FPGAUnit, inputSize: Int, classes: Int, platform: FPGAPlatform, dataType: DataType) {
        // The macro network's operators, as NB201Network.workload builds them; only the stem
        // reads the graph's input.
        func conv(_ c: Int, _ hw: Int, _ k: Int, _ r: Int, _ stride: Int) -> Operator {
            .conv2d(batch: 1, channels: c, height: hw, width: hw, filters: k, kernelH: r, kernelW: r, stride: stride, padding: r / 2)
        }
        var layers: [(Task, [Workload.Input])] = []
        func add(_ op: Operator, readsInput: Bool = false) -> Int {
            layers.append((Task(name: "layer\(layers.count)", op: op, dataType: dataType), readsInput ? [.init("input", .stream)] : []))
            return layers.count - 1
        }
        stem = add(conv(3, inputSize, 16, 3, 1), readsInput: true)
        let st = NB201Network.stages(inputSize: inputSize)
        for (s, (c, hw)) in st.enumerated() {
            if s > 0 {
                let cin = st[s - 1].channels, hin = st[s - 1].size
                reduceA.append(add(conv(cin, hin, c, 3, 2)))
                reduceB.append(add(conv(c, hw, c, 3, 1)))
                reducePool.append(add(.pool(channels: cin, height: hin, width: hin, window: 2, kind: .average)))
                reduceShortcut.append(add(conv(cin, hin / 2, c, 1, 1)))
                reduceAdd.append(add(.elementwise(elements: c * (hin / 2) * (hin / 2), kind: "add")))
            }
            let elems = c * hw * hw
            relu.append(add(.activation(elements: elems, kind: "relu")))
            conv1.append(add(conv(c, hw, c, 1, 1)))
            conv3.append(add(conv(c, hw, c, 3, 1)))
            avgPool.append(add(.pool(channels: c, height: hw, width: hw, window: 3, stride: 1, padding: 1, kind: .average)))
            sum.append(add(.elementwise(elements: elems, kind: "add")))
        }
        let last = st[st.count - 1]
        gap = add(.pool(channels: last.channels, height: last.size, width: last.size, window: last.size, kind: .average))
        classifier = add(.matmul(m: 1, k: last.channels, n: classes, weightsOffChip: true))
        // Distinct names and no edges between layers: the workload cannot be invalid.
        let workload = try! Workload(name: "nb201-layers", tasks: layers)
        pricer = SequentialNetworkPricer(layers: workload, platform: platform, point: unit.designPoint)
    }

    /// Puts together the tasks of `NB201Network.workload(cell)`: same tasks, same order, same
    /// edges. A stage's five cells are one block (`cellBlock`), put together once per stage.
    mutating func build(_ cell: NB201Cell) {
        pricer.begin()
        var x = pricer.append(stem)
        for s in 0..<3 {
            if s > 0 {
                let a = pricer.append(reduceA[s - 1], reading: x)
                let b = pricer.append(reduceB[s - 1], reading: a)
                let pool = pricer.append(reducePool[s - 1], reading: x)
                let shortcut = pricer.append(reduceShortcut[s - 1], reading: pool)
                x = pricer.append(reduceAdd[s - 1], reading: b, shortcut)
            }
            fillCellBlock(cell, stage: s)
            for _ in 0..<5 { x = pricer.append(block, reading: x) }
        }
        let g = pricer.append(gap, reading: x)
        pricer.append(classifier, reading: g, kind: .barrier)
    }

    /// Puts one cell of stage `s` into `block`, reading the block's input; its output is the
    /// cell's output node, or the input when that node receives nothing (the next cell reads
    /// nothing computed, so the stage continues from the cell's input, as
    /// `NB201Network.workload` costs it).
    mutating func fillCellBlock(_ cell: NB201Cell, stage s: Int) {
        block.removeAll()
        let input = SequentialNetworkPricer.Block.input
        var nodes = (input, -1, -1, -1)
        func node(_ k: Int) -> Int { k == 0 ? nodes.0 : k == 1 ? nodes.1 : k == 2 ? nodes.2 : nodes.3 }
        for to in 1...3 {
            var incoming = (-1, -1, -1), count = 0
            for (e, ends) in NB201Cell.edgeEnds.enumerated() where ends.to == to {
                var from = node(ends.from)
                if from < 0 && deadOperations == .execute { from = nodes.0 }
                guard from >= 0 else { continue }
                var value: Int
                switch cell.edges[e] {
                case .none: continue
                case .skipConnect: value = from
                case .conv1x1: value = block.append(conv1[s], reading: block.append(relu[s], reading: from))
                case .conv3x3: value = block.append(conv3[s], reading: block.append(relu[s], reading: from))
                case .avgPool3x3: value = block.append(avgPool[s], reading: from)
                }
                switch count { case 0: incoming.0 = value; case 1: incoming.1 = value; default: incoming.2 = value }
                count += 1
            }
            var out = -1
            if count == 1 { out = incoming.0 }
            else if count > 1 {
                // The workload sums the distinct tensors (two skips may carry the same one).
                let a = incoming.0
                let b = incoming.1 == a ? -1 : incoming.1
                let c = count < 3 || incoming.2 == a || incoming.2 == incoming.1 ? -1 : incoming.2
                out = block.append(sum[s], reading: a, b, c)
            }
            switch to { case 1: nodes.1 = out; case 2: nodes.2 = out; default: nodes.3 = out }
        }
        block.output = nodes.3 >= 0 ? nodes.3 : input
    }

    mutating func price(_ cell: NB201Cell) -> SequentialNetworkPricer.Figures {
        build(cell)
        return pricer.price()
    }
}
