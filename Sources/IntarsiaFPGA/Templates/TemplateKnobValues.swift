/// The values a template accepts for one of its knobs: all the knob's own (`Knob.parse`), or fewer.
public enum TemplateKnobValues: Hashable, Sendable {
    /// Every value the knob accepts.
    case all
    /// Integers of this range among the knob's own.
    case integers(ClosedRange<Int>)
    /// These values only.
    case only([KnobValue])
}

extension TemplateKnob {
    /// Parses a value of the knob for this template; nil when the knob or the template refuses it.
    public func parse(_ text: String) -> KnobValue? {
        guard let v = knob.parse(text) else { return nil }
        switch accepts {
        case .all: return v
        case .integers(let r):
            if case .int(let i) = v, r.contains(i) { return v }
            return nil
        case .only(let values): return values.contains(v) ? v : nil
        }
    }

    /// What values are accepted, for error messages.
    public var accepted: String {
        switch accepts {
        case .all: return knob.accepted
        case .integers(let r): return "an integer from \(r.lowerBound) to \(r.upperBound)"
        case .only(let values): return values.map(\.description).joined(separator: ", ")
        }
    }
}

extension TemplateKind {
    /// The template's declaration of `knob`; nil when it does not read it.
    public func knob(_ knob: Knob) -> TemplateKnob? { descriptor.knobs.first { $0.knob == knob } }
}
