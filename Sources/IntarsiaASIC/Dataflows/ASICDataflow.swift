/// A sub-accelerator's dataflow: the descriptor's metatype with its policies copied out, so an
/// accelerator stays a plain value and the model reads stored enums. Two dataflows are equal when
/// they are the same descriptor type. The built-in ones: systolic forms (an R×C array, as
/// SCALE-Sim models them) and the three NASAIC composes: NVDLA-style weight-stationary,
/// ShiDianNao-style output-stationary, Eyeriss-style row-stationary.
public struct ASICDataflow: Hashable, Sendable, CustomStringConvertible {
    public let descriptor: any ASICDataflowTemplate.Type
    public let systolicForm: SystolicForm?
    public let stepWalk: ASICStepWalk
    public let sramAccess: SRAMAccessPattern

    public init(_ descriptor: any ASICDataflowTemplate.Type) {
        self.descriptor = descriptor
        systolicForm = descriptor.systolicForm
        stepWalk = descriptor.stepWalk
        sramAccess = descriptor.sramAccess
    }

    public static let systolicWS = ASICDataflow(SystolicWSDataflow.self)
    public static let systolicOS = ASICDataflow(SystolicOSDataflow.self)
    public static let systolicIS = ASICDataflow(SystolicISDataflow.self)
    public static let nvdla = ASICDataflow(NVDLADataflow.self)
    public static let shidiannao = ASICDataflow(ShiDianNaoDataflow.self)
    public static let eyeriss = ASICDataflow(EyerissDataflow.self)

    /// The built-in dataflows, in listing order.
    public static var allCases: [ASICDataflow] { ASICDataflows.builtin.all }
    /// The built-in dataflows' names, for error messages.
    public static var acceptedNames: String { ASICDataflows.builtin.acceptedNames }

    /// A built-in dataflow by name (others: `ASICDataflows.named`).
    public init?(rawValue: String) {
        guard let d = ASICDataflows.builtin.named(rawValue) else { return nil }
        self = d
    }

    public var rawValue: String { descriptor.identifier }
    public var description: String { descriptor.identifier }
    public var summary: String { descriptor.summary }
    public var knobs: [ASICKnobRule] { descriptor.knobs }
    /// The rule for one knob; nil when the dataflow does not read it.
    public func rule(_ k: ASICKnob) -> ASICKnobRule? { descriptor.knobs.first { $0.knob == k } }
    /// Systolic forms pass operands between neighbouring PEs instead of reading register files.
    public var isSystolic: Bool { systolicForm != nil }

    public static func == (a: ASICDataflow, b: ASICDataflow) -> Bool { ObjectIdentifier(a.descriptor) == ObjectIdentifier(b.descriptor) }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(descriptor)) }
}

/// The dataflows a spec may name, in order: the registry that spec reading, listings and CSV
/// reading consult. `builtin` holds the six of this project; a test or a tool adds its own with
/// `adding`, without touching the built-in list.
public struct ASICDataflows: Sendable {
    public let all: [ASICDataflow]

    public static let builtin = ASICDataflows(unchecked: [.systolicWS, .systolicOS, .systolicIS, .nvdla, .shidiannao, .eyeriss])

    private init(unchecked all: [ASICDataflow]) { self.all = all }

    /// The registry with one more dataflow after the others.
    public func adding(_ descriptor: any ASICDataflowTemplate.Type) throws -> ASICDataflows {
        guard named(descriptor.identifier) == nil else { throw DuplicateDataflow(identifier: descriptor.identifier) }
        return ASICDataflows(unchecked: all + [ASICDataflow(descriptor)])
    }

    public func named(_ identifier: String) -> ASICDataflow? { all.first { $0.rawValue == identifier } }

    public var names: [String] { all.map(\.rawValue) }
    /// The names, for error messages.
    public var acceptedNames: String { names.joined(separator: ", ") }

    public struct DuplicateDataflow: Error, CustomStringConvertible {
        public let identifier: String
        public var description: String { "a dataflow named '\(identifier)' is already registered" }
    }
}
