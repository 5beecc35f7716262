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
        guard let data = FileManager.default.contents(atPath: path) else { throw ImportError(description: "\(path): no such file") }
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

    static func importGraph(_ g: Onnx_GraphProto, dataType: DataType, name: String, file: String) throws -> Workload {
        var shapes: [String: [Int]] = [:]
        var constants: [String: [Double]] = [:]
        var initializers = Set<String>()
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
        let graphInputs = Set(g.input.map(\.name)).subtracting(initializers)
        // Tensor → the tasks that produce it (several for a Concat, none for a graph input).
        var producers: [String: [String]] = [:]
        var tasks: [(Task, [Workload.Input])] = []
        var usedNames = Set<String>()

        for (index, node) in g.node.enumerated() {
            let nodeName = node.name.isEmpty ? "\(node.opType)_\(index)" : node.name
            func fail(_ why: String) -> ImportError {
                ImportError(description: "\(file): node '\(nodeName)' (\(node.opType)): \(why)")
            }
            func shape(_ i: Int) throws -> [Int] {
                guard i < node.input.count, let s = shapes[node.input[i]] else {
                    throw fail("the shape of input \(i) ('\(i < node.input.count ? node.input[i] : "")') is unknown")
                }
                return s
            }
            func ints(_ key: String) -> [Int]? { node.attribute.first { $0.name == key }.map { $0.ints.map(Int.init) } }
            func int(_ key: String) -> Int? { node.attribute.first { $0.name == key }.map { Int($0.i) } }
            func constant(_ i: Int) -> [Double]? { i < node.input.count ? constants[node.input[i]] : nil }
            let activationInputs = node.input.filter { !$0.isEmpty && !initializers.contains($0) && constants[$0] == nil }
            var outShape: [Int]
            var op: Operator?
            let elements: (([Int]) -> Int) = { $0.reduce(1, *) }

            switch node.opType {
            case "Conv", "ConvTranspose":
                let x = try shape(0), w = try shape(1)
                guard x.count == 4, w.count == 4 else { throw fail("only 2-D convolutions (4-D tensors) are supported") }
                let group = int("group") ?? 1
                guard group >= 1 else { throw fail("attribute 'group' is \(group) (accepted: a positive integer dividing the input channels)") }
                guard x[1] % group == 0 else { throw fail("attribute 'group' \(group) does not divide the \(x[1]) input channels") }
                if node.opType == "Conv" {
                    guard w[1] * group == x[1] else {
                        throw fail("weight '\(node.input[1])' has shape \(w): \(w[1]) channels per filter × group \(group) ≠ \(x[1]) input channels (accepted: [K, C/group, R, S])")
                    }
                    guard w[0] % group == 0 else { throw fail("weight '\(node.input[1])' has \(w[0]) filters, not a multiple of group \(group)") }
                } else {
                    guard w[0] == x[1] else {
                        throw fail("weight '\(node.input[1])' has shape \(w): \(w[0]) input channels ≠ \(x[1]) (accepted: [C, K/group, R, S])")
                    }
                }
                let stride = ints("strides")?.first ?? 1
                let pads = ints("pads") ?? [0, 0, 0, 0]
                let pad = (pads[0] + (pads.count > 2 ? pads[2] : pads[0])) / 2
                let (r, s) = (w[2], w[3])
                if node.opType == "Conv" {
                    let oh = (x[2] + 2 * pad - r) / stride + 1, ow = (x[3] + 2 * pad - s) / stride + 1
                    outShape = [x[0], w[0], oh, ow]
                    op = .conv2d(batch: x[0], channels: x[1], height: x[2], width: x[3], filters: w[0], kernelH: r, kernelW: s, stride: stride, padding: pad, groups: group)
                } else {
                    let k = w[1] * group
                    let extra = ints("output_padding")?.first ?? 0
                    outShape = [x[0], k, (x[2] - 1) * stride - 2 * pad + r + extra, (x[3] - 1) * stride - 2 * pad + s + extra]
                    op = .transposedConv2d(batch: x[0], channels: x[1], height: x[2], width: x[3], filters: k, kernelH: r, kernelW: s, stride: stride, padding: pad, groups: group)
                }
            case "Gemm":
                var a = try shape(0), b = try shape(1)
                if int("transA") == 1 { a.reverse() }
                if int("transB") == 1 { b.reverse() }
                guard a.count == 2, b.count == 2, a[1] == b[0] else { throw fail("shapes \(a) and \(b) do not multiply") }
                outShape = [a[0], b[1]]
                op = .matmul(m: a[0], k: a[1], n: b[1], weightsOffChip: initializers.contains(node.input[1]))
            case "MatMul":
                let a = try shape(0), b = try shape(1)
                guard a.count >= 2, b.count >= 2, a[a.count - 1] == b[b.count - 2] else { throw fail("shapes \(a) and \(b) do not multiply") }
                let batch = a.dropLast(2).reduce(1, *), bBatch = b.dropLast(2).reduce(1, *)
                // A's batch dimensions fold into the rows (a batched B, as in attention, pairs each
                // batch with its own B: the same MACs); a batched B against an unbatched A repeats
                // the product per B batch, folded into the columns.
                let k = a[a.count - 1], n = b[b.count - 1]
                let repeatB = bBatch > 1 && bBatch != batch ? bBatch : 1
                outShape = (repeatB > 1 ? Array(b.dropLast(2)) : Array(a.dropLast(2))) + [a[a.count - 2], n]
                op = .matmul(m: batch * a[a.count - 2], k: k, n: n * repeatB, weightsOffChip: initializers.contains(node.input[1]))
            case "MaxPool", "AveragePool":
                let x = try shape(0)
                let kernel = ints("kernel_shape") ?? [2, 2]
                let stride = ints("strides")?.first ?? kernel[0]
                let pads = ints("pads") ?? [0, 0, 0, 0]
                let oh = (x[2] + pads[0] + (pads.count > 2 ? pads[2] : 0) - kernel[0]) / stride + 1
                let ow = (x[3] + (pads.count > 1 ? pads[1] : 0) + (pads.count > 3 ? pads[3] : 0) - kernel[kernel.count - 1]) / stride + 1
                outShape = [x[0], x[1], oh, ow]
                guard kernel[0] == kernel[kernel.count - 1] else { throw fail("only square pooling windows are supported (kernel_shape \(kernel))") }
                let pad = (pads[0] + (pads.count > 2 ? pads[2] : pads[0])) / 2
                op = .pool(channels: x[0] * x[1], height: x[2], width: x[3], window: kernel[0], stride: stride, padding: pad)
                if op?.outputElements != x[0] * x[1] * oh * ow {
                    // Asymmetric padding: keep the output the graph declares, as a pool of stride-sized windows.
                    op = .pool(channels: x[0] * x[1], height: oh * stride, width: ow * stride, window: stride)
                }
            case "GlobalAveragePool", "GlobalMaxPool":
                let x = try shape(0)
                outShape = [x[0], x[1], 1, 1]
                op = .pool(channels: x[0] * x[1], height: x[2], width: x[2], window: x[2])
            case "Resize", "Upsample":
                let x = try shape(0)
                let scales = node.opType == "Upsample" ? constant(1) : (constant(2) ?? [])
                var factor = 0
                if let sc = scales, sc.count == 4 { factor = Int(sc[2].rounded()) }
                if factor == 0, let sizes = constant(3), sizes.count == 4 { factor = Int(sizes[2]) / x[2] }
                guard factor >= 1 else { throw fail("needs constant scales or sizes with an integer spatial factor") }
                outShape = [x[0], x[1], x[2] * factor, x[3] * factor]
                op = .upsample(channels: x[0] * x[1], height: x[2], width: x[3], factor: factor)
            case "Softmax", "LayerNormalization":
                let x = try shape(0)
                var axis = int("axis") ?? -1
                if axis < 0 { axis += x.count }
                let cols = x[axis...].reduce(1, *)
                outShape = x
                op = node.opType == "Softmax" ? .softmax(rows: elements(x) / cols, cols: cols) : .layerNorm(rows: elements(x) / cols, cols: cols)
            case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Gelu", "Erf", "Exp", "Clip", "HardSigmoid", "HardSwish", "Sqrt":
                outShape = try shape(0)
                op = .activation(elements: elements(outShape), kind: node.opType.lowercased())
            case "BatchNormalization":
                outShape = try shape(0)
                op = .elementwise(elements: elements(outShape), kind: "batchnorm")
            case "Add", "Sub", "Mul", "Div", "Pow":
                let a = try shape(0), b = try shape(1)
                let n = max(a.count, b.count)
                let pa = [Int](repeating: 1, count: n - a.count) + a, pb = [Int](repeating: 1, count: n - b.count) + b
                outShape = zip(pa, pb).map { max($0, $1) }
                op = .elementwise(elements: elements(outShape), kind: node.opType.lowercased())
            case "Flatten":
                let x = try shape(0)
                var axis = int("axis") ?? 1
                if axis < 0 { axis += x.count }
                outShape = [x[..<axis].reduce(1, *), x[axis...].reduce(1, *)]
            case "Reshape":
                let x = try shape(0)
                guard let target = constant(1)?.map({ Int($0) }) else { throw fail("needs a constant target shape") }
                var out = target.enumerated().map { $0.element == 0 ? x[$0.offset] : $0.element }
                if let free = out.firstIndex(of: -1) { out[free] = elements(x) / out.filter { $0 != -1 }.reduce(1, *) }
                outShape = out
            case "Transpose":
                let x = try shape(0)
                let perm = ints("perm") ?? Array((0..<x.count).reversed())
                outShape = perm.map { x[$0] }
            case "Squeeze", "Unsqueeze":
                let x = try shape(0)
                let axes = ints("axes") ?? constant(1)?.map { Int($0) } ?? []
                if node.opType == "Squeeze" {
                    let norm = Set(axes.map { $0 < 0 ? $0 + x.count : $0 })
                    outShape = x.enumerated().filter { axes.isEmpty ? $0.element != 1 : !norm.contains($0.offset) }.map(\.element)
                } else {
                    var out = x
                    for a in axes.map({ $0 < 0 ? $0 + x.count + axes.count : $0 }).sorted() { out.insert(1, at: a) }
                    outShape = out
                }
            case "Identity", "Dropout", "Cast":
                outShape = try shape(0)
            case "Concat":
                let parts = try node.input.indices.map(shape)
                var axis = int("axis") ?? 0
                if axis < 0 { axis += parts[0].count }
                outShape = parts[0]
                outShape[axis] = parts.reduce(0) { $0 + $1[axis] }
            case "Constant":
                if let t = node.attribute.first(where: { $0.name == "value" })?.t {
                    constants[node.output[0]] = values(t)
                    shapes[node.output[0]] = t.dims.map(Int.init)
                }
                continue
            default:
                throw ImportError(description: "\(file): node '\(nodeName)' uses operator '\(node.opType)', which Intarsia does not support; supported: \(supported.joined(separator: ", "))")
            }
            guard !node.output.isEmpty else { continue }
            if let op, op.isTooLarge || op.outputElements <= 0 { throw fail("shapes \(outShape) are empty or too large to cost") }
            shapes[node.output[0]] = outShape
            // Where this node's data comes from: producing tasks, or the graph input.
            var sources: [String] = []
            var fromGraphInput = false
            for input in activationInputs {
                if graphInputs.contains(input) { fromGraphInput = true }
                sources += producers[input] ?? []
            }
            guard let op else {
                // Layout-only: the output is the input's data.
                producers[node.output[0]] = sources
                continue
            }
            var taskName = nodeName
            var k = 2
            while usedNames.contains(taskName) || taskName == "input" { taskName = "\(nodeName)_\(k)"; k += 1 }
            usedNames.insert(taskName)
            var kind: EdgeKind = .stream
            if case let .matmul(m, _, _, _) = op, m == 1 { kind = .barrier }
            var inputs = Array(Set(sources)).sorted().map { Workload.Input($0, kind) }
            if fromGraphInput { inputs.append(.init("input", .stream)) }
            tasks.append((Task(name: taskName, op: op, dataType: dataType), inputs))
            producers[node.output[0]] = [taskName]
        }
        guard !tasks.isEmpty else { throw ImportError(description: "\(file): the graph has no operator Intarsia can cost") }
        do {
            return try Workload(name: name, tasks: tasks)
        } catch {
            throw ImportError(description: "\(file): \(error)")
        }
    }
}
