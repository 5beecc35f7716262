import Foundation
import IntarsiaCore
import IntarsiaONNX

/// A built-in workload as a spec names it, so that its parameters can be changed later
/// (`--param sequence_length=1024`).
public struct BuiltinReference: Sendable {
    public var kind: BuiltinWorkload
    public var parameters: [String: Int]
    public var dataType: DataType?

    /// The workload with some parameters changed; errors name the parameter and what is accepted.
    public func with(_ changes: [String: Int]) throws -> Workload {
        var p = parameters
        for (k, v) in changes {
            guard kind.parameters[k] != nil else {
                throw SpecError(file: "--param", key: k, value: String(v), problem: "'\(kind.rawValue)' has no such parameter",
                                accepted: kind.parameters.keys.sorted().joined(separator: ", ").isEmpty ? "none" : kind.parameters.keys.sorted().joined(separator: ", "))
            }
            if let why = WorkloadSection.check(k, v) { throw SpecError(file: "--param", key: k, value: String(v), problem: why.0, accepted: why.1) }
            p[k] = v
        }
        return try kind.make(parameters: p, dataType: dataType)
    }
}

/// Reads `workload:` — a built-in by name with parameters, or an inline task list.
enum WorkloadSection {
    /// A problem with a built-in's parameter value, with what is accepted; nil when fine.
    static func check(_ key: String, _ value: Int) -> (String, String)? {
        if value < 1 { return ("must be positive", "a positive integer") }
        if key == "sequence_length" && (value % 32 != 0 || value > 1024) {
            return ("sequence length must be a multiple of 32 up to 1024", "32, 64, ..., 1024")
        }
        return nil
    }

    static let opNames = ["matmul", "conv2d", "transposed_conv2d", "pool", "upsample", "softmax", "layernorm",
                          "add", "mul", "elementwise", "relu", "silu", "gelu", "sigmoid", "tanh", "exp"]
    static let activationOps: Set<String> = ["relu", "silu", "gelu", "sigmoid", "tanh", "exp"]
    static let elementwiseOps: Set<String> = ["add", "mul", "elementwise"]

    static func read(_ c: Cursor) throws -> (Workload, BuiltinReference?) {
        let m = try c.mapping(allowed: ["builtin", "parameters", "data_type", "name", "tasks", "repetitions", "onnx"])
        var dataType: DataType?
        if let d = m["data_type"] {
            guard let t = DataType(name: try d.string()) else { throw d.error("unknown data type", accepted: DataType.acceptedNames) }
            dataType = t
        }
        if let o = m["onnx"] {
            for other in ["builtin", "tasks", "parameters"] where m[other] != nil {
                throw SpecError(file: c.file, key: c.child(other), problem: "give one of 'builtin', 'tasks' or 'onnx'")
            }
            let given = try o.string()
            let base = URL(fileURLWithPath: c.file).deletingLastPathComponent()
            let path = given.hasPrefix("/") ? given : base.appendingPathComponent(given).path
            guard FileManager.default.fileExists(atPath: path) else {
                throw o.error("no such ONNX file (relative paths are from the spec's folder: \(path))", accepted: "the path of an .onnx model")
            }
            do {
                var w = try ONNXImporter.load(path: path, dataType: dataType ?? .int16, name: try m["name"]?.string())
                if let r = m["repetitions"] { w.repetitions = try r.positiveInt(max: 1 << 16) }
                return (w, nil)
            } catch let e as ONNXImporter.ImportError {
                throw SpecError(file: c.file, key: o.path, value: given, problem: e.description)
            }
        }
        switch (m["builtin"], m["tasks"]) {
        case (nil, nil):
            throw c.error("give 'builtin', 'tasks' or 'onnx'", value: false, accepted: "builtin: one of \(BuiltinWorkload.acceptedNames); tasks: [...]; onnx: model.onnx")
        case (.some, .some):
            throw c.error("give either 'builtin' or 'tasks', not both", value: false)
        case (.some(let b), nil):
            guard let w = BuiltinWorkload(rawValue: try b.string()) else { throw b.error("unknown built-in workload", accepted: BuiltinWorkload.acceptedNames) }
            var params: [String: Int] = [:]
            if let p = m["parameters"] {
                let allowed = Array(w.parameters.keys).sorted()
                if allowed.isEmpty { throw p.error("'\(w.rawValue)' takes no parameters", value: false) }
                for (k, v) in try p.mapping(allowed: allowed) {
                    let x = try v.positiveInt(max: 1 << 20)
                    if let why = check(k, x) { throw v.error(why.0, accepted: why.1) }
                    params[k] = x
                }
            }
            if let r = m["repetitions"] { throw r.error("repetitions is for inline task lists; '\(w.rawValue)' fixes its own", value: false) }
            return (try w.make(parameters: params, dataType: dataType), BuiltinReference(kind: w, parameters: params, dataType: dataType))
        case (nil, .some(let tasksCursor)):
            if let p = m["parameters"] { throw p.error("parameters go with 'builtin'", value: false) }
            let name = try m["name"]?.string() ?? "inline"
            let reps = try m["repetitions"]?.positiveInt(max: 1 << 16) ?? 1
            let items = try tasksCursor.list()
            if items.isEmpty { throw tasksCursor.error("the task list is empty", value: false, accepted: "at least one task") }
            var tasks: [(Task, [Workload.Input])] = []
            for item in items { tasks.append(try readTask(item, defaultType: dataType ?? .int16)) }
            do {
                return (try Workload(name: name, tasks: tasks, repetitions: reps), nil)
            } catch let e as Workload.GraphError {
                throw SpecError(file: c.file, key: tasksCursor.path, problem: e.description)
            }
        }
    }

    static let taskKeys = ["name", "op", "inputs", "data_type", "weight_type", "weights", "m", "k", "n", "batch", "channels", "height", "width",
                           "filters", "kernel", "kernel_h", "kernel_w", "stride", "padding", "groups", "window", "factor", "rows", "cols", "elements",
                           "heads", "transpose_b", "kind"]

    static func readTask(_ c: Cursor, defaultType: DataType) throws -> (Task, [Workload.Input]) {
        let m = try c.mapping(allowed: taskKeys)
        let nameC = try c.required("name", in: m)
        let name = try nameC.string()
        if name.isEmpty || name == "input" { throw nameC.error("not a usable task name", accepted: "a non-empty name other than 'input'") }
        let opC = try c.required("op", in: m, accepted: opNames.joined(separator: ", "))
        let opName = try opC.string()
        guard opNames.contains(opName) else { throw opC.error("unknown operator", accepted: opNames.joined(separator: ", ")) }
        var type = defaultType
        if let d = m["data_type"] {
            guard let t = DataType(name: try d.string()) else { throw d.error("unknown data type", accepted: DataType.acceptedNames) }
            type = t
        }
        var weightType: DataType?
        if let d = m["weight_type"] {
            guard let t = DataType(name: try d.string()) else { throw d.error("unknown data type", accepted: DataType.acceptedNames) }
            weightType = t
        }
        let op = try TaskFields(c: c, m: m, opName: opName).operator()
        if op.isTooLarge {
            throw SpecError(file: c.file, key: c.path, value: name, problem: "the task is too large: its dimensions multiply past 2^53",
                            accepted: "dimensions whose product stays below 9.0e15")
        }
        if op.outputElements <= 0 {
            throw SpecError(file: c.file, key: c.path, value: name, problem: "the task's output is empty with these dimensions (a window or kernel larger than its input?)",
                            accepted: "dimensions that give at least one output")
        }
        let inputs = try readInputs(m["inputs"], op: op)
        var heads = 1, transposeB = false
        if let h = m["heads"] {
            guard case let .matmul(_, _, n, off) = op, !off else { throw h.error("heads go with a matmul of two activations (weights: false)", value: false) }
            heads = try h.int(min: 1, max: 1 << 16, what: "a positive integer dividing n")
            if n % heads != 0 { throw h.error("n = \(n) is not a multiple of the heads", accepted: "a positive integer dividing n") }
        }
        if let t = m["transpose_b"] {
            guard case let .matmul(_, _, _, off) = op, !off else { throw t.error("transpose_b goes with a matmul of two activations (weights: false)", value: false) }
            transposeB = try t.bool()
        }
        return (Task(name: name, op: op, dataType: type, weightDataType: weightType, heads: heads, transposeB: transposeB), inputs)
    }

    /// A task's `inputs`: names or `{from, edge}` mappings (default: the workload input, streamed).
    static func readInputs(_ ic: Cursor?, op: Operator) throws -> [Workload.Input] {
        guard let ic else { return [.init("input", .stream)] }
        return try ic.scalarOrList().map { item in
            guard case .mapping = item.node else { return .init(try item.string(), defaultEdge(op)) }
            let im = try item.mapping(allowed: ["from", "edge"])
            let f = try item.required("from", in: im)
            var kind = defaultEdge(op)
            if let e = im["edge"] {
                guard let k = EdgeKind(rawValue: try e.string()) else { throw e.error("unknown edge kind", accepted: EdgeKind.allCases.map(\.rawValue).joined(separator: ", ")) }
                kind = k
            }
            return .init(try f.string(), kind)
        }
    }

    /// A matrix-vector product needs its whole input vector (barrier); matrix products with
    /// several rows, convolutions (line buffers) and special-function ops take a stream.
    static func defaultEdge(_ op: Operator) -> EdgeKind {
        if case let .matmul(m, _, _, _) = op, m == 1 { return .barrier }
        return .stream
    }
}
