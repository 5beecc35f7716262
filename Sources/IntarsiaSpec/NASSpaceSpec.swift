import Foundation
import Yams
import IntarsiaNAS

/// A user-defined NAS search space (`NetworkTemplateSpace`) read from YAML: keys `name`, `input`,
/// `choices` and `network`. Every error names the file, the key path, the bad value and what is
/// accepted; the template's own checks (shapes, references, size) come back the same way.
public enum NASSpaceSpec {
    static let keys = ["name", "input", "choices", "network"]
    static let layerKeys = ["name", "from", "conv", "pool", "upsample", "add", "concat", "relu", "global_pool", "linear", "repeat", "residual", "layers"]
    static let operationKeys = ["conv", "pool", "upsample", "add", "concat", "relu", "global_pool", "linear", "repeat"]
    static let bareOperations = ["add", "concat", "relu", "global_pool"]

    /// A standalone space file.
    public static func parse(text: String, file: String) throws -> NetworkTemplateSpace {
        try parseSpace(try YAMLDocument.root(text: text, file: file))
    }
}

/// The space at cursor `c` (a mapping with the keys `NASSpaceSpec.keys`).
func parseSpace(_ c: Cursor) throws -> NetworkTemplateSpace {
    let top = try c.mapping(allowed: NASSpaceSpec.keys)
    let name = try c.specName(in: top)
    let input = try readInput(try c.required("input", in: top, accepted: "{channels, height, width}"))
    let choices = try readChoices(try c.required("choices", in: top, accepted: "a mapping of choice names to lists of integers"), file: c.file)
    let reader = LayerReader(root: c, choiceNames: choices.map { "$" + $0.name }.joined(separator: ", "))
    let network = try reader.layers(try c.required("network", in: top, accepted: "a list of layers"))
    do {
        return try NetworkTemplateSpace(name: name, input: input, choices: choices, network: network)
    } catch let e as NetworkTemplateSpace.TemplateError {
        throw SpecError(file: c.file, key: c.child(e.key), value: e.value, problem: e.problem, accepted: e.accepted)
    }
}

/// `input: {channels, height, width}`.
private func readInput(_ ic: Cursor) throws -> NetworkTemplateSpace.Input {
    let im = try ic.mapping(allowed: ["channels", "height", "width"])
    return NetworkTemplateSpace.Input(
        channels: try ic.required("channels", in: im).positiveInt(max: 1 << 20),
        height: try ic.required("height", in: im).positiveInt(max: 1 << 20),
        width: try ic.required("width", in: im).positiveInt(max: 1 << 20))
}

/// `choices`: names to lists of integers. Choices keep their written order: it is the
/// architecture numbering's digit order.
private func readChoices(_ cc: Cursor, file: String) throws -> [NetworkTemplateSpace.Choice] {
    guard case .mapping(let cm) = cc.node else { throw cc.error("expected a mapping of choice names to lists of integers") }
    var choices: [NetworkTemplateSpace.Choice] = []
    for (k, v) in cm {
        guard case .scalar(let ks) = k else { throw SpecError(file: file, key: cc.path, problem: "a choice name is not a plain name") }
        let vc = Cursor(file: file, path: cc.child(ks.string), node: v)
        if choices.contains(where: { $0.name == ks.string }) { throw SpecError(file: file, key: vc.path, problem: "choice declared twice") }
        let values = try vc.list().map { try $0.int() }
        choices.append(.init(name: ks.string, values: values))
    }
    return choices
}

/// Reads the `network` list of a space at `root`: layers, each a bare word or a mapping with
/// exactly one operation; values are integers or `$choice` references.
private struct LayerReader {
    let root: Cursor
    /// "$a, $b": the choices a value may name, for messages.
    let choiceNames: String

    func value(_ v: Cursor) throws -> NetworkTemplateSpace.Value {
        let s = try v.string()
        if s.hasPrefix("$") { return .choice(String(s.dropFirst())) }
        guard let n = Int(s.replacingOccurrences(of: "_", with: "")) else {
            throw v.error("expected an integer or a choice reference", accepted: "an integer, or one of \(choiceNames)")
        }
        return .fixed(n)
    }

    func isEmpty(_ v: Cursor) -> Bool {
        switch v.node {
        case .scalar(let s): return ["", "~", "null"].contains(s.string)
        case .mapping(let m): return m.isEmpty
        default: return false
        }
    }

    /// The key path below the space's own (what the template's errors name).
    func relative(_ v: Cursor) -> String {
        root.path.isEmpty ? v.path : String(v.path.dropFirst(root.path.count + 1))
    }

    func layers(_ list: Cursor) throws -> [NetworkTemplateSpace.Layer] {
        let items = try list.list()
        if items.isEmpty { throw list.error("expected at least one layer", value: false, accepted: "a list of layers") }
        return try items.map { try layer($0) }
    }

    func layer(_ l: Cursor) throws -> NetworkTemplateSpace.Layer {
        let key = relative(l)
        if case .scalar(let s) = l.node {
            switch s.string {
            case "relu": return .init(.relu, key: key)
            case "global_pool": return .init(.globalPool, key: key)
            case "add": return .init(.add, key: key)
            case "concat": return .init(.concat, key: key)
            default:
                throw l.error("not a layer", accepted: "\(NASSpaceSpec.bareOperations.joined(separator: ", ")), or a mapping with one of \(NASSpaceSpec.operationKeys.joined(separator: ", "))")
            }
        }
        let m = try l.mapping(allowed: NASSpaceSpec.layerKeys)
        let ops = NASSpaceSpec.operationKeys.filter { m[$0] != nil }
        guard ops.count == 1, let opKey = ops.first else {
            throw l.error(ops.isEmpty ? "the layer has no operation" : "the layer has several operations (\(ops.joined(separator: ", ")))",
                          value: false, accepted: "exactly one of \(NASSpaceSpec.operationKeys.joined(separator: ", "))")
        }
        if opKey != "repeat" {
            for k in ["residual", "layers"] where m[k] != nil {
                throw SpecError(file: root.file, key: m[k]!.path, problem: "only a repeat block takes '\(k)'", accepted: "repeat: N with layers: [...]")
            }
        }
        let operation = try self.operation(opKey, m[opKey]!, layer: l, fields: m)
        let from = try m["from"].map { f in try f.scalarOrList().map { try $0.string() } }
        return .init(name: try m["name"]?.string(), from: from, operation, key: key)
    }

    /// The layer's one operation `opKey` with its parameters `oc`.
    func operation(_ opKey: String, _ oc: Cursor, layer l: Cursor, fields m: [String: Cursor]) throws -> NetworkTemplateSpace.Operation {
        switch opKey {
        case "conv":
            let f = try oc.mapping(allowed: ["filters", "kernel", "stride"])
            return .conv(filters: try value(try oc.required("filters", in: f)), kernel: try value(try oc.required("kernel", in: f)),
                         stride: try f["stride"].map(value) ?? .fixed(1))
        case "pool":
            let f = try oc.mapping(allowed: ["kind", "size"])
            let kc = try oc.required("kind", in: f, accepted: "max, avg")
            guard let kind = NetworkTemplateSpace.PoolKind(rawValue: try kc.string()) else { throw kc.error("unknown pooling", accepted: "max, avg") }
            return .pool(kind: kind, size: try value(try oc.required("size", in: f)))
        case "upsample":
            let f = try oc.mapping(allowed: ["factor"])
            return .upsample(factor: try value(try oc.required("factor", in: f)))
        case "linear":
            let f = try oc.mapping(allowed: ["outputs"])
            return .linear(outputs: try value(try oc.required("outputs", in: f)))
        case "repeat":
            let body = try l.required("layers", in: m, accepted: "the list of layers to repeat")
            return .repeated(times: try value(oc), residual: try m["residual"]?.bool() ?? false, layers: try layers(body))
        default:
            guard isEmpty(oc) else { throw oc.error("\(opKey) takes no parameters", accepted: "\(opKey): {} or the bare word \(opKey)") }
            switch opKey {
            case "add": return .add
            case "concat": return .concat
            case "relu": return .relu
            default: return .globalPool
            }
        }
    }
}
