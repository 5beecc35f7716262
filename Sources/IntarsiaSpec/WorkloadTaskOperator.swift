import IntarsiaCore

/// The operator of one workload task read from its fields (`m`, the task's mapping at `c`):
/// the dimensions its operator `opName` needs, with the checks that make it a valid operator.
struct TaskFields {
    let c: Cursor
    let m: [String: Cursor]
    let opName: String

    func dim(_ k: String, default d: Int? = nil, min lo: Int = 1) throws -> Int {
        if let v = m[k] { return try v.int(min: lo, max: 1 << 30, what: "a positive integer") }
        if let d { return d }
        throw SpecError(file: c.file, key: c.child(k), problem: "missing dimension for op '\(opName)'", accepted: "a positive integer")
    }

    func `operator`() throws -> Operator {
        if opName != "pool", let k = m["kind"] {
            throw k.error("'kind' applies to op 'pool' only (max or average pooling)", accepted: "no 'kind' for op '\(opName)'")
        }
        switch opName {
        case "matmul":
            var off = true
            if let w = m["weights"] {
                switch try w.string() {
                case "off_chip": off = true
                case "on_chip": off = false
                default: throw w.error("unknown weight placement", accepted: "off_chip, on_chip")
                }
            }
            return .matmul(m: try dim("m"), k: try dim("k"), n: try dim("n"), weightsOffChip: off)
        case "conv2d", "transposed_conv2d":
            return try convolution()
        case "pool":
            let window = try dim("window", default: 2)
            let stride = try m["stride"].map { _ in try dim("stride") }, padding = try dim("padding", default: 0, min: 0)
            if padding >= window {
                throw SpecError(file: c.file, key: c.child("padding"), value: String(padding), problem: "padding must be smaller than the window", accepted: "0 to \(window - 1)")
            }
            var kind = PoolKind.max
            if let k = m["kind"] {
                guard let named = PoolKind(specName: try k.string()) else { throw k.error("unknown pooling kind", accepted: PoolKind.acceptedSpecNames) }
                kind = named
            }
            return .pool(channels: try dim("channels", default: 1), height: try dim("height"), width: try dim("width"), window: window, stride: stride, padding: padding, kind: kind)
        case "upsample":
            let factor = try dim("factor", default: 2)
            if factor > 64 { throw SpecError(file: c.file, key: c.child("factor"), value: String(factor), problem: "out of range", accepted: "1 to 64") }
            return .upsample(channels: try dim("channels", default: 1), height: try dim("height"), width: try dim("width"), factor: factor)
        case "softmax":
            return .softmax(rows: try dim("rows"), cols: try dim("cols"))
        case "layernorm":
            return .layerNorm(rows: try dim("rows"), cols: try dim("cols"))
        default:
            if WorkloadSection.activationOps.contains(opName) { return .activation(elements: try dim("elements"), kind: opName) }
            return .elementwise(elements: try dim("elements"), kind: opName)
        }
    }

    /// `conv2d` or `transposed_conv2d`: kernel, padding smaller than it, groups dividing the
    /// channels and filters, and (conv2d) a kernel within the padded input.
    func convolution() throws -> Operator {
        let kernel = try m["kernel"].map { try $0.positiveInt(max: 1 << 10) }
        let r = try dim("kernel_h", default: kernel), s = try dim("kernel_w", default: kernel)
        let args = (try dim("batch", default: 1), try dim("channels"), try dim("height"), try dim("width"), try dim("filters"),
                    r, s, try dim("stride", default: 1), try dim("padding", default: 0, min: 0))
        if args.8 >= max(r, s) {
            throw SpecError(file: c.file, key: c.child("padding"), value: String(args.8), problem: "padding must be smaller than the kernel",
                            accepted: "0 to \(max(r, s) - 1)")
        }
        var groups = 1
        if let g = m["groups"] {
            if case .scalar(let sc) = g.node, sc.string == "depthwise" {
                groups = args.1
            } else {
                groups = try g.int(min: 1, max: 1 << 30, what: "a positive integer dividing channels and filters, or 'depthwise'")
            }
            if args.1 % groups != 0 || args.4 % groups != 0 {
                throw SpecError(file: c.file, key: c.child("groups"), value: String(groups),
                                problem: "groups must divide both channels (\(args.1)) and filters (\(args.4))",
                                accepted: "a common divisor of \(args.1) and \(args.4), or 'depthwise' (groups = channels)")
            }
        }
        guard opName == "conv2d" else {
            return .transposedConv2d(batch: args.0, channels: args.1, height: args.2, width: args.3, filters: args.4, kernelH: r, kernelW: s, stride: args.7, padding: args.8, groups: groups)
        }
        if args.2 + 2 * args.8 < r || args.3 + 2 * args.8 < s {
            throw SpecError(file: c.file, key: c.child("kernel"), value: "\(r)x\(s)", problem: "kernel larger than the padded input \(args.2 + 2 * args.8)x\(args.3 + 2 * args.8)")
        }
        return .conv2d(batch: args.0, channels: args.1, height: args.2, width: args.3, filters: args.4, kernelH: r, kernelW: s, stride: args.7, padding: args.8, groups: groups)
    }
}
