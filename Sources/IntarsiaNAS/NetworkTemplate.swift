import Foundation
import IntarsiaCore

/// A user-defined search space: named choices, each an ordered list of integer values, and a
/// network template whose layer fields are integers or references to a choice. An architecture is
/// one value per choice, numbered by `MixedRadix` over the choices in declared order (choice 0
/// least significant); its text is `name=value` pairs in declared order (`f1=64,k1=3,d1=2`).
///
/// The template is checked when the space is made: every reference resolves, every choice is used,
/// the space has at most `ArchitectureSpaceLimits.maximumCount` architectures, and every
/// architecture (or, above `exhaustiveValidationLimit`, a set covering every value of every
/// choice) infers its shapes and builds its task graph, so a bad space fails at load and not in the
/// middle of a search.
public struct NetworkTemplateSpace: ArchitectureSpace {
    /// One searched dimension: a name and its values, in order (digit d selects `values[d]`).
    public struct Choice: Hashable, Sendable {
        public var name: String
        public var values: [Int]
        public init(name: String, values: [Int]) {
            self.name = name
            self.values = values
        }
    }

    /// A layer field: a fixed integer, or the value of a choice (`$name` in the text).
    public enum Value: Hashable, Sendable, CustomStringConvertible {
        case fixed(Int)
        case choice(String)
        public var description: String {
            switch self {
            case .fixed(let v): return String(v)
            case .choice(let n): return "$" + n
            }
        }
    }

    /// The network's input tensor (batch 1).
    public struct Input: Hashable, Sendable {
        public var channels: Int
        public var height: Int
        public var width: Int
        public init(channels: Int, height: Int, width: Int) {
            self.channels = channels
            self.height = height
            self.width = width
        }
    }

    public enum PoolKind: String, Hashable, Sendable, CaseIterable {
        case max, avg
    }

    public indirect enum Operation: Hashable, Sendable {
        /// Convolution with same padding (kernel/2 on each side; odd kernels only), output
        /// ceil(in/stride) per spatial dimension.
        case conv(filters: Value, kernel: Value, stride: Value)
        /// Pooling with a square window equal to its stride: output floor(in/size).
        case pool(kind: PoolKind, size: Value)
        /// Nearest-neighbour up-sampling.
        case upsample(factor: Value)
        /// Element-wise sum of two or more inputs of equal shape.
        case add
        /// Channel concatenation of inputs of equal height and width.
        case concat
        case relu
        /// Average over the whole (square) map: C×H×W → C×1×1.
        case globalPool
        /// A fully connected layer over the flattened input.
        case linear(outputs: Value)
        /// `layers` applied `times` times in sequence; with `residual`, each repetition's output is
        /// added to its input, through a 1×1 convolution (strided when the body down-samples) when
        /// the shapes differ.
        case repeated(times: Value, residual: Bool, layers: [Layer])

        /// The key the operation has in the template's text.
        public var keyword: String {
            switch self {
            case .conv: return "conv"
            case .pool: return "pool"
            case .upsample: return "upsample"
            case .add: return "add"
            case .concat: return "concat"
            case .relu: return "relu"
            case .globalPool: return "global_pool"
            case .linear: return "linear"
            case .repeated: return "repeat"
            }
        }
    }

    /// One layer of the template. `from` names earlier layers (or `input`); nil takes the
    /// previous layer's output. `key` is where the layer is written (`network[3]`,
    /// `network[5].layers[1]`): errors name it and unnamed layers' tasks are named after it.
    public struct Layer: Hashable, Sendable {
        public var name: String?
        public var from: [String]?
        public var operation: Operation
        public var key: String
        public init(name: String? = nil, from: [String]? = nil, _ operation: Operation, key: String) {
            self.name = name
            self.from = from
            self.operation = operation
            self.key = key
        }
    }

    /// A problem with a template, at a key path of its text (`network[3].conv.kernel`).
    public struct TemplateError: Error, Hashable, CustomStringConvertible {
        public var key: String
        public var value: String?
        public var problem: String
        public var accepted: String?
        public init(key: String, value: String? = nil, problem: String, accepted: String? = nil) {
            self.key = key
            self.value = value
            self.problem = problem
            self.accepted = accepted
        }
        public var description: String {
            var s = key
            if let value { s += ": '\(value)'" }
            s += ": \(problem)"
            if let accepted { s += "; accepted: \(accepted)" }
            return s
        }
    }

    /// Spaces up to this many architectures have every architecture built at load; larger ones a
    /// covering set (each value of each choice at least once, plus the all-first and all-last
    /// architectures). Intarsia's own bound: building one architecture's graph takes well under a
    /// millisecond, so a space at the limit loads in about a second even in a debug build (the
    /// 1,944-architecture built-in U-Net space: 0.8 s debug, on a loaded 2-core machine).
    public static let exhaustiveValidationLimit = 4096

    /// The name reserved for the network's input in `from`.
    public static let inputName = "input"

    public let name: String
    public let input: Input
    public let choices: [Choice]
    public let network: [Layer]
    public let radices: [Int]
    public let count: Int
    private let numbering: MixedRadix
    private let choiceIndex: [String: Int]

    public init(name: String, input: Input, choices: [Choice], network: [Layer]) throws {
        self.name = name
        self.input = input
        self.choices = choices
        self.network = network
        for (field, v) in [("channels", input.channels), ("height", input.height), ("width", input.width)] where v < 1 {
            throw TemplateError(key: "input.\(field)", value: String(v), problem: "not a positive size", accepted: "an integer >= 1")
        }
        var index: [String: Int] = [:]
        for (i, c) in choices.enumerated() {
            let key = "choices.\(c.name)"
            guard Self.isIdentifier(c.name) else {
                throw TemplateError(key: key, value: c.name, problem: "not a choice name", accepted: "letters, digits and _, starting with a letter or _")
            }
            if index[c.name] != nil { throw TemplateError(key: key, problem: "choice declared twice") }
            if c.values.isEmpty { throw TemplateError(key: key, problem: "a choice needs at least one value", accepted: "a list of integers") }
            if Set(c.values).count != c.values.count {
                throw TemplateError(key: key, value: c.values.map(String.init).joined(separator: ", "),
                                    problem: "a value is listed twice (two architectures would be the same network)", accepted: "distinct integers")
            }
            index[c.name] = i
        }
        if choices.isEmpty { throw TemplateError(key: "choices", problem: "a space needs at least one choice", accepted: "a mapping of choice names to lists of integers") }
        if network.isEmpty { throw TemplateError(key: "network", problem: "the network has no layers", accepted: "a list of layers") }
        self.choiceIndex = index
        // Overflow-safe count against the limit.
        var total = 1
        for c in choices {
            let (p, o) = total.multipliedReportingOverflow(by: c.values.count)
            guard !o, p <= ArchitectureSpaceLimits.maximumCount else {
                throw TemplateError(key: "choices", value: choices.map { String($0.values.count) }.joined(separator: "×"),
                                    problem: "the space has too many architectures", accepted: "at most \(ArchitectureSpaceLimits.maximumCount) (ArchitectureSpaceLimits.maximumCount)")
            }
            total = p
        }
        self.radices = choices.map(\.values.count)
        self.numbering = MixedRadix(radices)
        self.count = numbering.count

        var used = Set<String>()
        try Self.checkStatically(network, choices: index, used: &used)
        if let unused = choices.first(where: { !used.contains($0.name) }) {
            throw TemplateError(key: "choices.\(unused.name)", problem: "the choice is used by no layer (its values would repeat architectures)",
                                accepted: "a choice referenced as $\(unused.name) by some layer field")
        }
        try validateArchitectures()
    }

    // MARK: ArchitectureSpace

    public func digits(_ index: Int) -> [Int] { numbering.digits(index) }
    public func index(_ digits: [Int]) -> Int { numbering.index(digits) }

    public func architectureString(_ index: Int) -> String {
        zip(choices, digits(index)).map { "\($0.name)=\($0.values[$1])" }.joined(separator: ",")
    }

    /// The architecture an `architectureString` describes: every choice exactly once as
    /// `name=value` (any order; spaces around the parts ignored), values from the choice's list.
    public func index(of architectureString: String) -> Int? {
        var d = [Int?](repeating: nil, count: choices.count)
        for part in architectureString.split(separator: ",", omittingEmptySubsequences: false) {
            let kv = part.split(separator: "=", omittingEmptySubsequences: false)
            guard kv.count == 2 else { return nil }
            let n = kv[0].trimmingCharacters(in: .whitespaces), v = kv[1].trimmingCharacters(in: .whitespaces)
            guard let k = choiceIndex[n], d[k] == nil, let value = Int(v), let pos = choices[k].values.firstIndex(of: value) else { return nil }
            d[k] = pos
        }
        let all = d.compactMap { $0 }
        return all.count == choices.count ? index(all) : nil
    }

    /// The value each choice takes in architecture `index`, by choice name.
    public func values(_ index: Int) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: zip(choices, digits(index)).map { ($0.name, $0.values[$1]) })
    }

    public func workload(_ index: Int, dataType: DataType) throws -> Workload {
        precondition(index >= 0 && index < count, "architecture \(index) is outside 0..<\(count)")
        var b = Builder(space: self, digits: digits(index), dataType: dataType)
        try b.build()
        do {
            return try Workload(name: "\(name):\(architectureString(index))", tasks: b.tasks)
        } catch let e as Workload.GraphError {
            throw TemplateError(key: "network", value: architectureString(index), problem: "the task graph is invalid (\(e))")
        }
    }

    // MARK: Validation

    private static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// Checks what does not depend on the architecture: references to choices, layer names, the
    /// number of inputs of each operation.
    private static func checkStatically(_ layers: [Layer], choices: [String: Int], used: inout Set<String>) throws {
        var names = Set<String>()
        for l in layers {
            if let n = l.name {
                guard isIdentifier(n) else {
                    throw TemplateError(key: l.key + ".name", value: n, problem: "not a layer name", accepted: "letters, digits and _, starting with a letter or _ (no dots)")
                }
                if n == inputName { throw TemplateError(key: l.key + ".name", value: n, problem: "'input' names the network's input", accepted: "another name") }
                if !names.insert(n).inserted { throw TemplateError(key: l.key + ".name", value: n, problem: "layer name used twice in the same list", accepted: "a unique name") }
            }
            if let f = l.from {
                if f.isEmpty { throw TemplateError(key: l.key + ".from", problem: "an empty list of inputs", accepted: "a layer name or a list of names") }
                let multi: Bool
                switch l.operation { case .add, .concat: multi = true; default: multi = false }
                if !multi && f.count > 1 {
                    throw TemplateError(key: l.key + ".from", value: f.joined(separator: ", "), problem: "\(l.operation.keyword) takes one input",
                                        accepted: "one layer name (only add and concat take several)")
                }
            }
            switch l.operation {
            case .add, .concat:
                if (l.from?.count ?? 1) < 2 {
                    throw TemplateError(key: l.key + ".from", value: l.from?.joined(separator: ", "), problem: "\(l.operation.keyword) needs two or more inputs",
                                        accepted: "a list of two or more earlier layer names")
                }
            default: break
            }
            func check(_ v: Value, _ field: String) throws {
                guard case .choice(let n) = v else { return }
                guard choices[n] != nil else {
                    throw TemplateError(key: "\(l.key).\(field)", value: v.description, problem: "unknown choice",
                                        accepted: choices.sorted { $0.value < $1.value }.map { "$" + $0.key }.joined(separator: ", "))
                }
                used.insert(n)
            }
            switch l.operation {
            case let .conv(f, k, s):
                try check(f, "conv.filters"); try check(k, "conv.kernel"); try check(s, "conv.stride")
            case let .pool(_, s): try check(s, "pool.size")
            case let .upsample(f): try check(f, "upsample.factor")
            case let .linear(o): try check(o, "linear.outputs")
            case let .repeated(t, _, body):
                try check(t, "repeat")
                if body.isEmpty { throw TemplateError(key: l.key + ".layers", problem: "a repeat needs at least one layer", accepted: "a list of layers") }
                try checkStatically(body, choices: choices, used: &used)
            case .add, .concat, .relu, .globalPool: break
            }
        }
    }

    /// Builds every architecture (or a covering set of them) so a bad one fails now.
    private func validateArchitectures() throws {
        let indices: [Int]
        if count <= Self.exhaustiveValidationLimit {
            indices = Array(0..<count)
        } else {
            // Architecture j sets each choice to value j mod its radix: every value of every choice
            // appears once j runs to the largest radix; add the all-last architecture.
            let widest = radices.max() ?? 1
            indices = (0..<widest).map { j in index(radices.map { j % $0 }) } + [index(radices.map { $0 - 1 })]
        }
        for i in indices {
            var b = Builder(space: self, digits: digits(i), dataType: .int8)
            try b.build()
        }
        // The graph itself (names, edges) once; the builder already guarantees its shape.
        _ = try workload(0, dataType: .int8)
    }

    /// Bounds on a field's value: any size, a repetition count, an up-sampling factor.
    public static let largestField = 1 << 20
    public static let largestRepeat = 1024
    public static let largestUpsampling = 64

    // MARK: Building one architecture

    private struct Tensor {
        var task: String
        var channels: Int
        var height: Int
        var width: Int
        var elements: Int { channels * height * width }
        /// Whether the tensor's element count fits the cost models (at most 2^40 elements).
        var representable: Bool {
            let (a, o1) = channels.multipliedReportingOverflow(by: height)
            let (b, o2) = a.multipliedReportingOverflow(by: width)
            return !o1 && !o2 && b <= 1 << 40
        }
        var shape: String { "\(channels)×\(height)×\(width)" }
    }

    private struct Builder {
        let space: NetworkTemplateSpace
        let digits: [Int]
        let dataType: DataType
        var tasks: [(Task, [Workload.Input])] = []
        /// Names visible to `from`, innermost scope last.
        var scopes: [[String: Tensor]] = []

        init(space: NetworkTemplateSpace, digits: [Int], dataType: DataType) {
            self.space = space
            self.digits = digits
            self.dataType = dataType
        }

        var architecture: String {
            zip(space.choices, digits).map { "\($0.name)=\($0.values[$1])" }.joined(separator: ",")
        }

        mutating func build() throws {
            let x = Tensor(task: NetworkTemplateSpace.inputName, channels: space.input.channels, height: space.input.height, width: space.input.width)
            scopes = [[NetworkTemplateSpace.inputName: x]]
            _ = try run(space.network, from: x, suffix: "")
        }

        func error(_ key: String, _ value: String?, _ problem: String, accepted: String? = nil) -> TemplateError {
            TemplateError(key: key, value: value, problem: "\(problem) (architecture \(architecture))", accepted: accepted)
        }

        /// A field's value in this architecture, at least `minimum`.
        func resolve(_ v: Value, _ key: String, minimum: Int = 1, maximum: Int = NetworkTemplateSpace.largestField) throws -> Int {
            let n: Int
            switch v {
            case .fixed(let f): n = f
            case .choice(let c):
                let k = space.choiceIndex[c]!
                n = space.choices[k].values[digits[k]]
            }
            guard n >= minimum, n <= maximum else {
                let shown = v.description == String(n) ? String(n) : "\(v) = \(n)"
                throw error(key, shown, n < minimum ? "must be at least \(minimum)" : "must be at most \(maximum)", accepted: "an integer from \(minimum) to \(maximum)")
            }
            return n
        }

        func lookup(_ name: String, _ key: String) throws -> Tensor {
            for s in scopes.reversed() { if let t = s[name] { return t } }
            let visible = Set(scopes.flatMap(\.keys)).sorted()
            throw error(key, name, "no earlier layer has this name", accepted: visible.joined(separator: ", "))
        }

        mutating func register(_ name: String, _ t: Tensor, _ key: String) throws {
            if scopes.contains(where: { $0[name] != nil }) {
                throw error(key, name, "layer name already used by an earlier layer", accepted: "a unique name")
            }
            scopes[scopes.count - 1][name] = t
        }

        mutating func emit(_ name: String, _ op: Operator, _ inputs: [Tensor], kind: EdgeKind = .stream, key: String) throws -> String {
            if op.isTooLarge {
                throw error(key, nil, "the layer is too large to cost (more than 2^53 MACs or elements)")
            }
            tasks.append((Task(name: name, op: op, dataType: dataType), inputs.map { .init($0.task, kind) }))
            return name
        }

        /// Runs `layers` in sequence from `x`; returns the last output.
        mutating func run(_ layers: [Layer], from x0: Tensor, suffix: String) throws -> Tensor {
            var previous = x0
            for l in layers {
                let inputs: [Tensor] = try l.from.map { try $0.map { try lookup($0, l.key + ".from") } } ?? [previous]
                let label = l.name.map { "layer '\($0)'" } ?? "layer"
                let taskName = (l.name ?? "\(l.operation.keyword).\(Self.position(l.key))") + suffix
                let x = inputs[0]
                var out: Tensor
                switch l.operation {
                case let .conv(fv, kv, sv):
                    let f = try resolve(fv, l.key + ".conv.filters")
                    let k = try resolve(kv, l.key + ".conv.kernel")
                    let s = try resolve(sv, l.key + ".conv.stride")
                    guard k % 2 == 1 else {
                        throw error(l.key + ".conv.kernel", Self.show(kv, k), "\(label): same padding needs an odd kernel", accepted: "an odd integer")
                    }
                    guard k <= min(x.height, x.width) else {
                        throw error(l.key + ".conv.kernel", Self.show(kv, k), "\(label): kernel \(k)×\(k) is larger than its \(x.shape) input",
                                    accepted: "at most \(min(x.height, x.width))")
                    }
                    let op = Operator.conv2d(batch: 1, channels: x.channels, height: x.height, width: x.width, filters: f,
                                             kernelH: k, kernelW: k, stride: s, padding: k / 2)
                    out = Tensor(task: try emit(taskName, op, [x], key: l.key), channels: f,
                                 height: (x.height + s - 1) / s, width: (x.width + s - 1) / s)
                case let .pool(kind, sv):
                    let s = try resolve(sv, l.key + ".pool.size")
                    guard s <= min(x.height, x.width) else {
                        throw error(l.key + ".pool.size", Self.show(sv, s), "\(label): window \(s)×\(s) is larger than its \(x.shape) input",
                                    accepted: "at most \(min(x.height, x.width))")
                    }
                    // Operator.pool has no max/avg distinction (the cost models read the window): the
                    // kind is kept in the template only.
                    _ = kind
                    out = Tensor(task: try emit(taskName, .pool(channels: x.channels, height: x.height, width: x.width, window: s), [x], key: l.key),
                                 channels: x.channels, height: x.height / s, width: x.width / s)
                case let .upsample(fv):
                    let f = try resolve(fv, l.key + ".upsample.factor", maximum: NetworkTemplateSpace.largestUpsampling)
                    out = Tensor(task: try emit(taskName, .upsample(channels: x.channels, height: x.height, width: x.width, factor: f), [x], key: l.key),
                                 channels: x.channels, height: x.height * f, width: x.width * f)
                case .add:
                    for t in inputs.dropFirst() where (t.channels, t.height, t.width) != (x.channels, x.height, x.width) {
                        throw error(l.key + ".from", inputs.map(\.task).joined(separator: ", "),
                                    "\(label): add needs inputs of equal shape, got \(inputs.map(\.shape).joined(separator: ", "))")
                    }
                    out = x
                    out.task = try emit(taskName, .elementwise(elements: x.elements, kind: "add"), inputs, key: l.key)
                case .concat:
                    for t in inputs.dropFirst() where (t.height, t.width) != (x.height, x.width) {
                        throw error(l.key + ".from", inputs.map(\.task).joined(separator: ", "),
                                    "\(label): concat needs inputs of equal height and width, got \(inputs.map(\.shape).joined(separator: ", "))")
                    }
                    let c = inputs.reduce(0) { $0 + $1.channels }
                    // No concatenation operator in the core: a zero-MAC element-wise copy of the
                    // joined tensor (one pass over its elements), fed by every input.
                    out = Tensor(task: "", channels: c, height: x.height, width: x.width)
                    out.task = try emit(taskName, .elementwise(elements: out.elements, kind: "concat"), inputs, key: l.key)
                case .relu:
                    out = x
                    out.task = try emit(taskName, .activation(elements: x.elements, kind: "relu"), [x], key: l.key)
                case .globalPool:
                    guard x.height == x.width else {
                        throw error(l.key, x.shape, "\(label): global_pool needs a square input (the core's pool window is square)")
                    }
                    out = Tensor(task: try emit(taskName, .pool(channels: x.channels, height: x.height, width: x.width, window: x.height), [x], key: l.key),
                                 channels: x.channels, height: 1, width: 1)
                case let .linear(ov):
                    let o = try resolve(ov, l.key + ".linear.outputs")
                    out = Tensor(task: try emit(taskName, .matmul(m: 1, k: x.elements, n: o, weightsOffChip: true), [x], kind: .barrier, key: l.key),
                                 channels: o, height: 1, width: 1)
                case let .repeated(tv, residual, body):
                    let n = try resolve(tv, l.key + ".repeat", maximum: NetworkTemplateSpace.largestRepeat)
                    out = x
                    for i in 1...n {
                        let inner = "_\(i)" + suffix
                        scopes.append([:])
                        let y = try run(body, from: out, suffix: inner)
                        let iteration = scopes.removeLast()
                        for (name, t) in iteration.sorted(by: { $0.key < $1.key }) { try register("\(name)_\(i)", t, l.key) }
                        if residual {
                            var shortcut = out
                            let block = (l.name ?? "repeat.\(Self.position(l.key))") + inner
                            if (y.channels, y.height, y.width) != (out.channels, out.height, out.width) {
                                guard out.height % y.height == 0, out.width % y.width == 0, out.height / y.height == out.width / y.width else {
                                    throw error(l.key + ".residual", "true", "\(label): the body turns \(out.shape) into \(y.shape), which no strided 1×1 projection matches")
                                }
                                let s = out.height / y.height
                                let op = Operator.conv2d(batch: 1, channels: out.channels, height: out.height, width: out.width, filters: y.channels,
                                                         kernelH: 1, kernelW: 1, stride: s, padding: 0)
                                shortcut = Tensor(task: try emit(block + ".proj", op, [out], key: l.key), channels: y.channels, height: y.height, width: y.width)
                            }
                            out = y
                            out.task = try emit(block + ".add", .elementwise(elements: y.elements, kind: "add"), [y, shortcut], key: l.key)
                        } else {
                            out = y
                        }
                    }
                }
                guard out.representable else {
                    throw error(l.key, out.shape, "the layer's output is too large to cost", accepted: "at most 2^40 elements")
                }
                if let n = l.name { try register(n, out, l.key + ".name") }
                previous = out
            }
            return previous
        }

        /// `network[5].layers[0]` → `5.0`: the position part of an unnamed layer's task name.
        static func position(_ key: String) -> String {
            key.split(whereSeparator: { $0 == "[" || $0 == "]" }).filter { $0.allSatisfy(\.isNumber) }.joined(separator: ".")
        }

        static func show(_ v: Value, _ n: Int) -> String {
            if case .choice = v { return "\(v) = \(n)" }
            return String(n)
        }
    }
}
