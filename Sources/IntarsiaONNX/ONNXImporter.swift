import Foundation
import IntarsiaCore
import SwiftProtobuf

/// Reads an ONNX model (`.onnx`, protobuf) into a workload: shapes are inferred node by node from
/// the graph inputs and the initializers, MAC operators become matrix products and convolutions,
/// the rest special-function tasks; layout-only operators (Reshape, Flatten, Transpose, ...)
/// become no task, their consumers reading the producer directly. An operator outside the
/// supported set is an error that names the node.
public enum ONNXImporter {
    public struct ImportError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    public static let supported = ["Conv", "ConvTranspose", "Gemm", "MatMul", "MaxPool", "AveragePool", "GlobalAveragePool",
                                   "GlobalMaxPool", "Resize", "Upsample", "Softmax", "LayerNormalization", "BatchNormalization",
                                   "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Gelu", "Erf", "Exp", "Clip", "HardSigmoid", "HardSwish",
                                   "Add", "Sub", "Mul", "Div", "Pow", "Sqrt",
                                   "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Identity", "Dropout", "Cast", "Concat", "Constant"]

    public static func load(path: String, dataType: DataType = .int16, name: String? = nil) throws -> Workload {
        let data: Data
        do throws(InputFile.Unreadable) { data = try InputFile.read(path) } catch { throw ImportError(description: error.description) }
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw ImportError(description: "\(path): not an ONNX model (\(error))")
        }
        return try importGraph(model.graph, dataType: dataType,
                               name: name ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent, file: path)
    }

    static func dims(_ v: Onnx_ValueInfoProto) -> [Int]? {
        guard v.hasType, case .tensorType(let t)? = v.type.value, t.hasShape else { return nil }
        // A symbolic dimension (a batch size "N") is taken as 1.
        return t.shape.dim.map { d in
            if case .dimValue(let n)? = d.value { return Int(n) }
            return 1
        }
    }

    /// Numbers held by a constant tensor (float, double, int32, int64; raw little-endian too).
    static func values(_ t: Onnx_TensorProto) -> [Double] {
        if !t.floatData.isEmpty { return t.floatData.map(Double.init) }
        if !t.int64Data.isEmpty { return t.int64Data.map(Double.init) }
        if !t.int32Data.isEmpty { return t.int32Data.map(Double.init) }
        if !t.doubleData.isEmpty { return t.doubleData }
        let raw = [UInt8](t.rawData)
        switch t.dataType {
        case 1:  // FLOAT
            return stride(from: 0, to: raw.count - 3, by: 4).map { i in
                Double(Float(bitPattern: UInt32(raw[i]) | UInt32(raw[i + 1]) << 8 | UInt32(raw[i + 2]) << 16 | UInt32(raw[i + 3]) << 24))
            }
        case 7:  // INT64
            return stride(from: 0, to: raw.count - 7, by: 8).map { i in
                Double(Int64(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(raw[i + $1]) << (8 * UInt64($1)) }))
            }
        default: return []
        }
    }

    /// The graph's state while its nodes are read in order: tensor shapes and small constants
    /// known so far, and the tasks made.
    struct GraphState {
        var shapes: [String: [Int]] = [:]
        var constants: [String: [Double]] = [:]
        var initializers = Set<String>()
        var graphInputs = Set<String>()
        /// Tensor → the tasks that produce it (several for a Concat, none for a graph input).
        var producers: [String: [String]] = [:]
        var tasks: [(Task, [Workload.Input])] = []
        var usedNames = Set<String>()

        /// Shapes and constants of the initializers, and shapes of the graph inputs.
        init(_ g: Onnx_GraphProto, file: String) throws {
            for t in g.initializer {
                shapes[t.name] = t.dims.map(Int.init)
                initializers.insert(t.name)
                let v = values(t)
                if !v.isEmpty && v.count <= 64 { constants[t.name] = v }
            }
            for v in g.input where !initializers.contains(v.name) {
                guard let d = dims(v) else { throw ImportError(description: "\(file): graph input '\(v.name)' has no tensor shape") }
                shapes[v.name] = d
            }
            graphInputs = Set(g.input.map(\.name)).subtracting(initializers)
        }

        /// Records a node's output: a task when it has an operator, else (layout only) the
        /// output stands for the input's data.
        mutating func add(_ n: Node, outShape: [Int], op: Operator?, dataType: DataType) throws {
            let node = n.node
            guard !node.output.isEmpty else { return }
            if let op, op.isTooLarge || op.outputElements <= 0 { throw n.fail("shapes \(outShape) are empty or too large to cost") }
            shapes[node.output[0]] = outShape
            // Where this node's data comes from: producing tasks, or the graph input.
            let activationInputs = node.input.filter { !$0.isEmpty && !initializers.contains($0) && constants[$0] == nil }
            var sources: [String] = []
            var fromGraphInput = false
            for input in activationInputs {
                if graphInputs.contains(input) { fromGraphInput = true }
                sources += producers[input] ?? []
            }
            guard let op else {
                producers[node.output[0]] = sources
                return
            }
            var taskName = n.name
            var k = 2
            while usedNames.contains(taskName) || taskName == "input" { taskName = "\(n.name)_\(k)"; k += 1 }
            usedNames.insert(taskName)
            var kind: EdgeKind = .stream
            if case let .matmul(m, _, _, _) = op, m == 1 { kind = .barrier }
            var inputs = Array(Set(sources)).sorted().map { Workload.Input($0, kind) }
            if fromGraphInput { inputs.append(.init("input", .stream)) }
            tasks.append((Task(name: taskName, op: op, dataType: dataType), inputs))
            producers[node.output[0]] = [taskName]
        }
    }

    static func importGraph(_ g: Onnx_GraphProto, dataType: DataType, name: String, file: String) throws -> Workload {
        var state = try GraphState(g, file: file)
        for (index, node) in g.node.enumerated() {
            let n = Node(node: node, name: node.name.isEmpty ? "\(node.opType)_\(index)" : node.name, file: file,
                         shapes: state.shapes, constants: state.constants, initializers: state.initializers)
            if node.opType == "Constant" {
                if let t = node.attribute.first(where: { $0.name == "value" })?.t {
                    state.constants[node.output[0]] = values(t)
                    state.shapes[node.output[0]] = t.dims.map(Int.init)
                }
                continue
            }
            let (outShape, op) = try infer(n)
            try state.add(n, outShape: outShape, op: op, dataType: dataType)
        }
        guard !state.tasks.isEmpty else { throw ImportError(description: "\(file): the graph has no operator Intarsia can cost") }
        do {
            return try Workload(name: name, tasks: state.tasks)
        } catch {
            throw ImportError(description: "\(file): \(error)")
        }
    }
}
