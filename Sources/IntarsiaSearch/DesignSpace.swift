import IntarsiaFPGA

/// One template's knob ranges: the cartesian product of the value lists.
public struct TemplateSpace: Hashable, Sendable {
    public var template: TemplateKind
    /// Knobs in a fixed order with their candidate values (a knob with one value is fixed).
    public var knobs: [Knob]
    public var values: [[KnobValue]]
    /// The point every unlisted knob takes its value from.
    public var base: DesignPoint

    public init(template: TemplateKind, knobs: [(Knob, [KnobValue])], base: DesignPoint? = nil) {
        self.template = template
        self.knobs = knobs.map(\.0)
        self.values = knobs.map(\.1)
        var b = base ?? DesignPoint(template: template, lanes: 64)
        b.template = template
        self.base = b
    }

    public var count: Int { values.reduce(1) { $0 * max($1.count, 1) } }

    /// The point whose knob-value indices are `genes` (one per knob).
    public func point(genes: [Int]) -> DesignPoint {
        var p = base
        for (k, g) in zip(knobs.indices, genes) { p.set(knobs[k], values[k][g]) }
        return p
    }

    /// Mixed-radix decoding of an index in `0..<count` into knob-value indices.
    public func genes(at index: Int) -> [Int] {
        var rest = index
        return values.map { v in
            let g = rest % v.count
            rest /= v.count
            return g
        }
    }

    public func point(at index: Int) -> DesignPoint { point(genes: genes(at: index)) }
}

/// The union of the spec's template spaces.
public struct DesignSpace: Hashable, Sendable {
    public var templates: [TemplateSpace]
    public init(_ templates: [TemplateSpace]) { self.templates = templates }

    public var count: Int { templates.reduce(0) { $0 + $1.count } }

    /// The design at a flat index over all templates, in spec order.
    public func point(at index: Int) -> DesignPoint {
        var i = index
        for t in templates {
            if i < t.count { return t.point(at: i) }
            i -= t.count
        }
        preconditionFailure("index \(index) outside a design space of \(count) points")
    }
}

/// A design point with its evaluation and its order of evaluation (the CSV `id`).
public struct EvaluatedDesign: Hashable, Sendable {
    public var id: Int
    public var point: DesignPoint
    public var evaluation: Evaluation
    public init(id: Int, point: DesignPoint, evaluation: Evaluation) {
        self.id = id
        self.point = point
        self.evaluation = evaluation
    }
}
