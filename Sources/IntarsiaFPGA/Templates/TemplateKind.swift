/// A design point's template: the descriptor's metatype with its policies copied out, so a point
/// stays a plain value (no reference counting when copied) and the model reads a stored enum per
/// point. Two kinds are equal when they are the same descriptor type.
public struct TemplateKind: Hashable, Sendable, CustomStringConvertible {
    /// The template's descriptor (its knobs, listing text, identifier).
    public let descriptor: any FPGATemplate.Type
    public let schedulePolicy: SchedulePolicy
    public let unitRule: UnitRule
    public let resourceRule: ResourceRule

    public init(_ descriptor: any FPGATemplate.Type) {
        self.descriptor = descriptor
        schedulePolicy = descriptor.schedulePolicy
        unitRule = descriptor.unitRule
        resourceRule = descriptor.resourceRule
    }

    public static let dataflow = TemplateKind(DataflowTemplate.self)
    public static let sequential = TemplateKind(SequentialTemplate.self)
    public static let reconfigurable = TemplateKind(ReconfigurableTemplate.self)

    /// The built-in templates, in listing and spec order.
    public static var allCases: [TemplateKind] { FPGATemplates.builtin.all }
    /// The built-in templates' names, for error messages.
    public static var acceptedNames: String { FPGATemplates.builtin.acceptedNames }

    /// A built-in template by name (others: `FPGATemplates.named`).
    public init?(rawValue: String) {
        guard let t = FPGATemplates.builtin.named(rawValue) else { return nil }
        self = t
    }

    public var rawValue: String { descriptor.identifier }
    public var description: String { descriptor.identifier }
    /// One line on what the template is (`intarsia list templates`).
    public var summary: String { descriptor.summary }
    /// The knobs the template reads.
    public var knobs: [Knob] { descriptor.knobs.map(\.knob) }

    public static func == (a: TemplateKind, b: TemplateKind) -> Bool { ObjectIdentifier(a.descriptor) == ObjectIdentifier(b.descriptor) }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(descriptor)) }
}

/// The templates a spec may name, in order: the registry that spec reading, listings and CSV
/// reading consult. `builtin` holds the three of this project; a test or a tool adds its own with
/// `adding`, without touching the built-in list.
public struct FPGATemplates: Sendable {
    public let all: [TemplateKind]

    public static let builtin = FPGATemplates(unchecked: [.dataflow, .sequential, .reconfigurable])

    private init(unchecked all: [TemplateKind]) { self.all = all }

    /// The registry with one more template after the others.
    public func adding(_ descriptor: any FPGATemplate.Type) throws -> FPGATemplates {
        guard named(descriptor.identifier) == nil else { throw DuplicateTemplate(identifier: descriptor.identifier) }
        return FPGATemplates(unchecked: all + [TemplateKind(descriptor)])
    }

    public func named(_ identifier: String) -> TemplateKind? { all.first { $0.rawValue == identifier } }

    public var names: [String] { all.map(\.rawValue) }
    /// The names, for error messages.
    public var acceptedNames: String { names.joined(separator: ", ") }

    public struct DuplicateTemplate: Error, CustomStringConvertible {
        public let identifier: String
        public var description: String { "a template named '\(identifier)' is already registered" }
    }
}
