import IntarsiaCore

/// Shape inference node by node: each supported operator's output shape and, for the operators
/// that cost anything, the task's `Operator` (none for layout-only operators).
extension ONNXImporter {
    /// One node with what is known of the graph when it is read.
    struct Node {
        var node: Onnx_NodeProto
        var name: String
        var file: String
        var shapes: [String: [Int]]
        var constants: [String: [Double]]
        var initializers: Set<String>

        func fail(_ why: String) -> ImportError {
            ImportError(description: "\(file): node '\(name)' (\(node.opType)): \(why)")
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
        var opType: String { node.opType }
    }

    static func elements(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// The node's output shape and operator; an unsupported operator is an error naming the node.
    static func infer(_ n: Node) throws -> ([Int], Operator?) {
        switch n.opType {
        case "Conv", "ConvTranspose": return try convolution(n)
        case "Gemm", "MatMul": return try matrixProduct(n)
        case "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Resize", "Upsample": return try resampling(n)
        case "Softmax", "LayerNormalization", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Gelu", "Erf", "Exp", "Clip", "HardSigmoid", "HardSwish", "Sqrt",
             "BatchNormalization", "Add", "Sub", "Mul", "Div", "Pow":
            return try pointwise(n)
        case "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Identity", "Dropout", "Cast", "Concat": return (try layout(n), nil)
        default:
            throw ImportError(description: "\(n.file): node '\(n.name)' uses operator '\(n.opType)', which Intarsia does not support; supported: \(supported.joined(separator: ", "))")
        }
    }

    static func convolution(_ n: Node) throws -> ([Int], Operator?) {
        let x = try n.shape(0), w = try n.shape(1)
        guard x.count == 4, w.count == 4 else { throw n.fail("only 2-D convolutions (4-D tensors) are supported") }
        let group = n.int("group") ?? 1
        guard group >= 1 else { throw n.fail("attribute 'group' is \(group) (accepted: a positive integer dividing the input channels)") }
        guard x[1] % group == 0 else { throw n.fail("attribute 'group' \(group) does not divide the \(x[1]) input channels") }
        let weight = n.node.input[1]
        if n.opType == "Conv" {
            guard w[1] * group == x[1] else {
                throw n.fail("weight '\(weight)' has shape \(w): \(w[1]) channels per filter × group \(group) ≠ \(x[1]) input channels (accepted: [K, C/group, R, S])")
            }
            guard w[0] % group == 0 else { throw n.fail("weight '\(weight)' has \(w[0]) filters, not a multiple of group \(group)") }
        } else {
            guard w[0] == x[1] else {
                throw n.fail("weight '\(weight)' has shape \(w): \(w[0]) input channels ≠ \(x[1]) (accepted: [C, K/group, R, S])")
            }
        }
        let stride = n.ints("strides")?.first ?? 1
        let pads = n.ints("pads") ?? [0, 0, 0, 0]
        let pad = (pads[0] + (pads.count > 2 ? pads[2] : pads[0])) / 2
        let (r, s) = (w[2], w[3])
        if n.opType == "Conv" {
            let oh = (x[2] + 2 * pad - r) / stride + 1, ow = (x[3] + 2 * pad - s) / stride + 1
            return ([x[0], w[0], oh, ow],
                    .conv2d(batch: x[0], channels: x[1], height: x[2], width: x[3], filters: w[0], kernelH: r, kernelW: s, stride: stride, padding: pad, groups: group))
        }
        let k = w[1] * group
        let extra = n.ints("output_padding")?.first ?? 0
        return ([x[0], k, (x[2] - 1) * stride - 2 * pad + r + extra, (x[3] - 1) * stride - 2 * pad + s + extra],
                .transposedConv2d(batch: x[0], channels: x[1], height: x[2], width: x[3], filters: k, kernelH: r, kernelW: s, stride: stride, padding: pad, groups: group))
    }

    static func matrixProduct(_ n: Node) throws -> ([Int], Operator?) {
        if n.opType == "Gemm" {
            var a = try n.shape(0), b = try n.shape(1)
            if n.int("transA") == 1 { a.reverse() }
            if n.int("transB") == 1 { b.reverse() }
            guard a.count == 2, b.count == 2, a[1] == b[0] else { throw n.fail("shapes \(a) and \(b) do not multiply") }
            return ([a[0], b[1]], .matmul(m: a[0], k: a[1], n: b[1], weightsOffChip: n.initializers.contains(n.node.input[1])))
        }
        let a = try n.shape(0), b = try n.shape(1)
        guard a.count >= 2, b.count >= 2, a[a.count - 1] == b[b.count - 2] else { throw n.fail("shapes \(a) and \(b) do not multiply") }
        let batch = a.dropLast(2).reduce(1, *), bBatch = b.dropLast(2).reduce(1, *)
        // A's batch dimensions fold into the rows (a batched B, as in attention, pairs each
        // batch with its own B: the same MACs); a batched B against an unbatched A repeats
        // the product per B batch, folded into the columns.
        let k = a[a.count - 1], cols = b[b.count - 1]
        let repeatB = bBatch > 1 && bBatch != batch ? bBatch : 1
        let out = (repeatB > 1 ? Array(b.dropLast(2)) : Array(a.dropLast(2))) + [a[a.count - 2], cols]
        return (out, .matmul(m: batch * a[a.count - 2], k: k, n: cols * repeatB, weightsOffChip: n.initializers.contains(n.node.input[1])))
    }

    /// Pooling (windowed and global) and upsampling.
    static func resampling(_ n: Node) throws -> ([Int], Operator?) {
        let x = try n.shape(0)
        switch n.opType {
        case "MaxPool", "AveragePool":
            let kernel = n.ints("kernel_shape") ?? [2, 2]
            let stride = n.ints("strides")?.first ?? kernel[0]
            let pads = n.ints("pads") ?? [0, 0, 0, 0]
            let oh = (x[2] + pads[0] + (pads.count > 2 ? pads[2] : 0) - kernel[0]) / stride + 1
            let ow = (x[3] + (pads.count > 1 ? pads[1] : 0) + (pads.count > 3 ? pads[3] : 0) - kernel[kernel.count - 1]) / stride + 1
            guard kernel[0] == kernel[kernel.count - 1] else { throw n.fail("only square pooling windows are supported (kernel_shape \(kernel))") }
            let pad = (pads[0] + (pads.count > 2 ? pads[2] : pads[0])) / 2
            let kind: PoolKind = n.opType == "MaxPool" ? .max : .average
            let op = Operator.pool(channels: x[0] * x[1], height: x[2], width: x[3], window: kernel[0], stride: stride, padding: pad, kind: kind)
            if op.outputElements != x[0] * x[1] * oh * ow {
                // Asymmetric padding: keep the output the graph declares, as a pool of stride-sized windows.
                return ([x[0], x[1], oh, ow], .pool(channels: x[0] * x[1], height: oh * stride, width: ow * stride, window: stride, kind: kind))
            }
            return ([x[0], x[1], oh, ow], op)
        case "GlobalAveragePool", "GlobalMaxPool":
            let kind: PoolKind = n.opType == "GlobalMaxPool" ? .max : .average
            return ([x[0], x[1], 1, 1], .pool(channels: x[0] * x[1], height: x[2], width: x[2], window: x[2], kind: kind))
        default:  // Resize, Upsample
            let scales = n.opType == "Upsample" ? n.constant(1) : (n.constant(2) ?? [])
            var factor = 0
            if let sc = scales, sc.count == 4 { factor = Int(sc[2].rounded()) }
            if factor == 0, let sizes = n.constant(3), sizes.count == 4 { factor = Int(sizes[2]) / x[2] }
            guard factor >= 1 else { throw n.fail("needs constant scales or sizes with an integer spatial factor") }
            return ([x[0], x[1], x[2] * factor, x[3] * factor], .upsample(channels: x[0] * x[1], height: x[2], width: x[3], factor: factor))
        }
    }

    /// Row-wise normalisations, activations and element-wise arithmetic (with broadcasting).
    static func pointwise(_ n: Node) throws -> ([Int], Operator?) {
        switch n.opType {
        case "Softmax", "LayerNormalization":
            let x = try n.shape(0)
            var axis = n.int("axis") ?? -1
            if axis < 0 { axis += x.count }
            let cols = x[axis...].reduce(1, *)
            return (x, n.opType == "Softmax" ? .softmax(rows: elements(x) / cols, cols: cols) : .layerNorm(rows: elements(x) / cols, cols: cols))
        case "BatchNormalization":
            let x = try n.shape(0)
            return (x, .elementwise(elements: elements(x), kind: "batchnorm"))
        case "Add", "Sub", "Mul", "Div", "Pow":
            let a = try n.shape(0), b = try n.shape(1)
            let rank = max(a.count, b.count)
            let pa = [Int](repeating: 1, count: rank - a.count) + a, pb = [Int](repeating: 1, count: rank - b.count) + b
            let out = zip(pa, pb).map { max($0, $1) }
            return (out, .elementwise(elements: elements(out), kind: n.opType.lowercased()))
        default:  // activations
            let x = try n.shape(0)
            return (x, .activation(elements: elements(x), kind: n.opType.lowercased()))
        }
    }

    /// Layout-only operators: the output shape; no task.
    static func layout(_ n: Node) throws -> [Int] {
        switch n.opType {
        case "Flatten":
            let x = try n.shape(0)
            var axis = n.int("axis") ?? 1
            if axis < 0 { axis += x.count }
            return [x[..<axis].reduce(1, *), x[axis...].reduce(1, *)]
        case "Reshape":
            let x = try n.shape(0)
            guard let target = n.constant(1)?.map({ Int($0) }) else { throw n.fail("needs a constant target shape") }
            var out = target.enumerated().map { $0.element == 0 ? x[$0.offset] : $0.element }
            if let free = out.firstIndex(of: -1) { out[free] = elements(x) / out.filter { $0 != -1 }.reduce(1, *) }
            return out
        case "Transpose":
            let x = try n.shape(0)
            return (n.ints("perm") ?? Array((0..<x.count).reversed())).map { x[$0] }
        case "Squeeze", "Unsqueeze":
            let x = try n.shape(0)
            let axes = n.ints("axes") ?? n.constant(1)?.map { Int($0) } ?? []
            if n.opType == "Squeeze" {
                let norm = Set(axes.map { $0 < 0 ? $0 + x.count : $0 })
                return x.enumerated().filter { axes.isEmpty ? $0.element != 1 : !norm.contains($0.offset) }.map(\.element)
            }
            var out = x
            for a in axes.map({ $0 < 0 ? $0 + x.count + axes.count : $0 }).sorted() { out.insert(1, at: a) }
            return out
        case "Concat":
            let parts = try n.node.input.indices.map(n.shape)
            var axis = n.int("axis") ?? 0
            if axis < 0 { axis += parts[0].count }
            var out = parts[0]
            out[axis] = parts.reduce(0) { $0 + $1[axis] }
            return out
        default:  // Identity, Dropout, Cast
            return try n.shape(0)
        }
    }
}
