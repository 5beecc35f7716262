import Foundation
import IntarsiaCore

/// The NAS-Bench-201 search space (Dong and Yang, ICLR 2020): a cell of 4 nodes and 6 edges, each
/// edge one of five operations, stacked on a fixed macro network.
public struct NB201Cell: Hashable, Sendable, CustomStringConvertible {
    public enum Operation: String, CaseIterable, Sendable {
        case none
        case skipConnect = "skip_connect"
        case conv1x1 = "nor_conv_1x1"
        case conv3x3 = "nor_conv_3x3"
        case avgPool3x3 = "avg_pool_3x3"
    }

    /// Edges in the cell string's order: 0→1, 0→2, 1→2, 0→3, 1→3, 2→3.
    public var edges: [Operation]

    public static let edgeEnds: [(from: Int, to: Int)] = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]

    public init(edges: [Operation]) {
        precondition(edges.count == 6)
        self.edges = edges
    }

    /// Parses `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`.
    public init?(_ text: String) {
        let nodes = text.split(separator: "+")
        guard nodes.count == 3 else { return nil }
        var ops: [Operation] = []
        for (i, node) in nodes.enumerated() {
            let parts = node.split(separator: "|").filter { !$0.isEmpty }
            guard parts.count == i + 1 else { return nil }
            for (j, p) in parts.enumerated() {
                let pieces = p.split(separator: "~")
                guard pieces.count == 2, Int(pieces[1]) == j, let op = Operation(rawValue: String(pieces[0])) else { return nil }
                ops.append(op)
            }
        }
        self.edges = ops
    }

    public var description: String {
        "|\(edges[0].rawValue)~0|+|\(edges[1].rawValue)~0|\(edges[2].rawValue)~1|+|\(edges[3].rawValue)~0|\(edges[4].rawValue)~1|\(edges[5].rawValue)~2|"
    }

    /// Every cell of the space (5^6 = 15,625), in an enumeration of Intarsia's own: edges as
    /// base-5 digits, least significant first (not the benchmark's index order, which the table
    /// gives).
    public static let all: [NB201Cell] = (0..<15_625).map { i in
        var k = i
        return NB201Cell(edges: (0..<6).map { _ in let op = Operation.allCases[k % 5]; k /= 5; return op })
    }
}

/// The macro network around the cells (NAS-Bench-201's `TinyNetwork`): a 3×3 stem of 16 channels;
/// three stages of 5 cells at 16, 32 and 64 channels; between stages a residual reduction block
/// (3×3 stride-2 convolution, 3×3 convolution, and a 2×2 average pool with a 1×1 convolution as
/// the shortcut); global average pooling and a linear classifier.
public enum NB201Network {
    /// What happens to an edge whose source node receives nothing (every edge into it is
    /// `none`): `execute` runs its operation anyway, on the node's zero tensor, as a framework
    /// runs the exported network (NAS-Bench-201's `InferCell` builds every edge's operation);
    /// `prune` drops it, as a compiler that propagates the zeros would. In the workload an
    /// executed edge from such a node reads the cell's input (a tensor of the same shape: the cost
    /// is the same). docs/NAS.md gives the difference it makes.
    public enum DeadOperations: String, Sendable, CaseIterable, Hashable {
        case execute, prune
        public static let acceptedNames = allCases.map(\.rawValue).joined(separator: ", ")
    }

    public static func workload(_ cell: NB201Cell, inputSize: Int = 32, classes: Int = 10, dataType: DataType = .int8, name: String? = nil,
                                deadOperations: DeadOperations = .execute) throws -> Workload {
        var tasks: [(Task, [Workload.Input])] = []
        var counter = 0
        func add(_ name: String, _ op: Operator, _ inputs: [Workload.Input]) -> String {
            counter += 1
            let n = "\(name)_\(counter)"
            tasks.append((Task(name: n, op: op, dataType: dataType), inputs))
            return n
        }
        func conv(_ n: String, _ c: Int, _ hw: Int, _ k: Int, _ r: Int, _ stride: Int, _ input: String) -> String {
            add(n, .conv2d(batch: 1, channels: c, height: hw, width: hw, filters: k, kernelH: r, kernelW: r, stride: stride, padding: r / 2),
                [.init(input, .stream)])
        }
        var x = conv("stem", 3, inputSize, 16, 3, 1, "input")
        var c = 16, hw = inputSize
        for stage in 0..<3 {
            if stage > 0 {
                let out = 2 * c, half = hw / 2
                let a = conv("reduce\(stage).a", c, hw, out, 3, 2, x)
                let b = conv("reduce\(stage).b", out, half, out, 3, 1, a)
                let pool = add("reduce\(stage).pool", .pool(channels: c, height: hw, width: hw, window: 2, kind: .average), [.init(x, .stream)])
                let shortcut = conv("reduce\(stage).shortcut", c, half, out, 1, 1, pool)
                x = add("reduce\(stage).add", .elementwise(elements: out * half * half, kind: "add"), [.init(b, .stream), .init(shortcut, .stream)])
                c = out
                hw = half
            }
            for cellIndex in 0..<5 {
                let tag = "s\(stage + 1)c\(cellIndex + 1)"
                var nodes: [String?] = [x, nil, nil, nil]
                for to in 1...3 {
                    var incoming: [String] = []
                    for (e, ends) in NB201Cell.edgeEnds.enumerated() where ends.to == to {
                        guard let from = nodes[ends.from] ?? (deadOperations == .execute ? nodes[0] : nil) else { continue }
                        let elems = c * hw * hw
                        switch cell.edges[e] {
                        case .none: continue
                        case .skipConnect: incoming.append(from)
                        case .conv1x1, .conv3x3:
                            let r = cell.edges[e] == .conv1x1 ? 1 : 3
                            let relu = add("\(tag).e\(e).relu", .activation(elements: elems, kind: "relu"), [.init(from, .stream)])
                            incoming.append(conv("\(tag).e\(e).conv\(r)x\(r)", c, hw, c, r, 1, relu))
                        case .avgPool3x3:
                            incoming.append(add("\(tag).e\(e).avgpool", .pool(channels: c, height: hw, width: hw, window: 3, stride: 1, padding: 1, kind: .average), [.init(from, .stream)]))
                        }
                    }
                    if incoming.isEmpty { nodes[to] = nil }
                    else if incoming.count == 1 { nodes[to] = incoming[0] }
                    else {
                        nodes[to] = add("\(tag).n\(to).sum", .elementwise(elements: c * hw * hw, kind: "add"), Array(Set(incoming)).sorted().map { .init($0, .stream) })
                    }
                }
                // A cell whose output node gets nothing outputs zeros: the next cell reads nothing
                // computed, so the stage continues from the cell's input for costing.
                if let out = nodes[3] { x = out }
            }
        }
        let gap = add("gap", .pool(channels: c, height: hw, width: hw, window: hw), [.init(x, .stream)])
        _ = add("classifier", .matmul(m: 1, k: c, n: classes, weightsOffChip: true), [.init(gap, .barrier)])
        return try Workload(name: name ?? cell.description, tasks: tasks)
    }
}

/// The NAS-Bench-201 accuracy table shipped with Intarsia (see Resources/NOTICE.md).
public struct NB201Table: Sendable {
    public enum Dataset: String, CaseIterable, Sendable {
        case cifar10, cifar100, imagenet16 = "imagenet16-120"
        public var classes: Int { switch self { case .cifar10: return 10; case .cifar100: return 100; case .imagenet16: return 120 } }
        public var inputSize: Int { self == .imagenet16 ? 16 : 32 }
    }

    public var cells: [NB201Cell]
    /// Accuracy (%) per dataset, by cell index.
    public var accuracy: [Dataset: [Double]]

    public struct LoadError: Error, CustomStringConvertible { public var description: String }

    /// Loads the shipped table (about 15,625 rows) from the module's resources.
    public static func load() throws -> NB201Table {
        guard let url = Bundle.module.url(forResource: "nb201-accuracy", withExtension: "csv") else {
            throw LoadError(description: "the NAS-Bench-201 table is missing from the installation (resource nb201-accuracy.csv)")
        }
        return try parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }

    public static func parse(_ text: String) throws -> NB201Table {
        var cells: [NB201Cell] = []
        var acc: [Dataset: [Double]] = [.cifar10: [], .cifar100: [], .imagenet16: []]
        cells.reserveCapacity(15_625)
        // Lines and fields split by bytes (the table is ASCII; splitting by characters was most
        // of the time a NAS run spends before its first evaluation).
        let lines = text.utf8.split(whereSeparator: { $0 >= 0x0A && $0 <= 0x0D })  // \n, \v, \f, \r
        for (n, line) in lines.enumerated() where n > 0 {
            let f = line.split(separator: 0x2C).map { Substring($0) }
            guard f.count == 5, Int(f[0]) == n - 1, let cell = NB201Cell(canonical: f[1].utf8) ?? NB201Cell(String(f[1])),
                  let a = Double(f[2]), let b = Double(f[3]), let c = Double(f[4]) else {
                throw LoadError(description: "nb201-accuracy.csv line \(n + 1): not 'index,arch,cifar10,cifar100,imagenet16' in index order")
            }
            cells.append(cell)
            acc[.cifar10]!.append(a)
            acc[.cifar100]!.append(b)
            acc[.imagenet16]!.append(c)
        }
        return NB201Table(cells: cells, accuracy: acc)
    }
}

extension NB201Cell {
    /// The operations' names as bytes, for `init?(canonical:)`.
    private static let operationNames: [(Operation, [UInt8])] = Operation.allCases.map { ($0, Array($0.rawValue.utf8)) }

    /// `init?(_:)` on the spelling `description` writes (`|op~0|+|op~0|op~1|+|…|op~2|`, nothing
    /// else), read byte by byte: the table reader's fast path (most of a NAS run's start-up went
    /// to splitting the cell strings); any other spelling gives nil, and the reader then tries
    /// `init?(_:)`, so the table accepts what it always did.
    init?(canonical text: Substring.UTF8View) {
        var i = text.startIndex
        func take(_ b: UInt8) -> Bool {
            guard i < text.endIndex, text[i] == b else { return false }
            i = text.index(after: i)
            return true
        }
        var ops: [Operation] = []
        ops.reserveCapacity(6)
        for node in 0..<3 {
            if node > 0 && !take(0x2B) { return nil }  // +
            guard take(0x7C) else { return nil }  // |
            for j in 0...node {
                guard let (op, name) = Self.operationNames.first(where: { text[i...].starts(with: $0.1) }) else { return nil }
                i = text.index(i, offsetBy: name.count)
                guard take(0x7E), take(0x30 + UInt8(j)), take(0x7C) else { return nil }  // ~ digit |
                ops.append(op)
            }
        }
        guard i == text.endIndex else { return nil }
        self.edges = ops
    }

    /// The edges that run an operation: every edge that is not `none` when dead operations are
    /// executed; with `prune`, only those whose source node receives something.
    public func executedEdges(_ dead: NB201Network.DeadOperations) -> [(edge: Int, operation: Operation)] {
        dead == .prune ? activeEdges : edges.enumerated().filter { $0.element != .none }.map { ($0.offset, $0.element) }
    }

    /// The edges that compute something: an edge whose source node receives nothing (every edge
    /// into it is `none`) carries nothing either.
    public var activeEdges: [(edge: Int, operation: Operation)] {
        var reached = [true, false, false, false]
        var out: [(Int, Operation)] = []
        for (e, ends) in NB201Cell.edgeEnds.enumerated() where edges[e] != .none && reached[ends.from] {
            reached[ends.to] = true
            out.append((e, edges[e]))
        }
        return out
    }
}

extension NB201Network {
    /// Stage widths and sizes of the macro network for an input size: (channels, height = width).
    public static func stages(inputSize: Int) -> [(channels: Int, size: Int)] {
        [(16, inputSize), (32, inputSize / 2), (64, inputSize / 4)]
    }

    /// The cost of every cell of the space on one piece of hardware, for a cost that adds up over
    /// a network's layers (layer-by-layer execution): the macro network's fixed layers once, plus
    /// at each stage five times each executed edge's operation and each node sum (a node with
    /// two or more incoming edges). `edgeCost(operation, channels, size)` is an edge's cost (a
    /// ReLU and a convolution, or an average pool; 0 for a skip); `sumCost(channels, size)` a
    /// node sum's; `fixed` the stem, reductions, pooling and classifier. Returns the costs by
    /// position in `cells`.
    public static func costs(of cells: [NB201Cell], inputSize: Int, fixed: Double, deadOperations: DeadOperations = .execute,
                             edgeCost: (_ operation: NB201Cell.Operation, _ channels: Int, _ size: Int) -> Double,
                             sumCost: (_ channels: Int, _ size: Int) -> Double) -> [Double] {
        let st = stages(inputSize: inputSize)
        let ops = NB201Cell.Operation.allCases
        let perOp = ops.map { op in st.map { edgeCost(op, $0.channels, $0.size) }.reduce(0, +) }
        let sum = st.map { sumCost($0.channels, $0.size) }.reduce(0, +)
        return cells.map { cell in
            var c = fixed
            var incoming = [0, 0, 0, 0]
            for (e, op) in cell.executedEdges(deadOperations) {
                c += 5 * perOp[ops.firstIndex(of: op)!]
                incoming[NB201Cell.edgeEnds[e].to] += 1
            }
            for n in 1...3 where incoming[n] >= 2 { c += 5 * sum }
            return c
        }
    }
}

/// The NAS-Bench-201 cells of one dataset as an `ArchitectureSpace`, numbered as the shipped table
/// numbers them (so a table's accuracy column lines up with the architecture numbers); the digits
/// are the six edges' operations in `NB201Cell.Operation` order.
public struct NB201Space: ArchitectureSpace {
    public let cells: [NB201Cell]
    public let dataset: NB201Table.Dataset
    /// Edges from nodes that receive nothing: run (`execute`, the default) or dropped (`prune`).
    public var deadOperations: NB201Network.DeadOperations = .execute
    /// Table index of each base-5 edge code (edge 0 least significant), and each cell's edges.
    let indexOfCode: [Int]
    let edges: [[Int]]

    public init(cells: [NB201Cell], dataset: NB201Table.Dataset, deadOperations: NB201Network.DeadOperations = .execute) {
        self.cells = cells
        self.dataset = dataset
        self.deadOperations = deadOperations
        var indexOfCode = [Int](repeating: -1, count: 15_625)
        var edges: [[Int]] = []
        edges.reserveCapacity(cells.count)
        let ops = NB201Cell.Operation.allCases
        for (i, cell) in cells.enumerated() {
            let e = cell.edges.map { ops.firstIndex(of: $0)! }
            indexOfCode[MixedRadix.nb201.index(e)] = i
            edges.append(e)
        }
        self.indexOfCode = indexOfCode
        self.edges = edges
    }

    public var name: String { "nb201" }
    public var radices: [Int] { MixedRadix.nb201.radices }
    public var count: Int { cells.count }
    public func digits(_ index: Int) -> [Int] { edges[index] }
    public func index(_ digits: [Int]) -> Int { indexOfCode[MixedRadix.nb201.index(digits)] }
    public func architectureString(_ index: Int) -> String { cells[index].description }
    public func workload(_ index: Int, dataType: DataType) throws -> Workload {
        try NB201Network.workload(cells[index], inputSize: dataset.inputSize, classes: dataset.classes, dataType: dataType, deadOperations: deadOperations)
    }
}

extension MixedRadix {
    /// Six edges of five operations.
    static let nb201 = MixedRadix([5, 5, 5, 5, 5, 5])
}
