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
    let numbering: MixedRadix
    let choiceIndex: [String: Int]

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

    /// Bounds on a field's value: any size, a repetition count, an up-sampling factor.
    public static let largestField = 1 << 20
    public static let largestRepeat = 1024
    public static let largestUpsampling = 64
}
