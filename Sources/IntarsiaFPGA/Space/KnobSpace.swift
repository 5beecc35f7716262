import IntarsiaExplore

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

    /// Candidate values per knob: the space's digits.
    public var radices: [Int] { values.map(\.count) }

    /// The point whose knob-value indices are `genes` (one per knob).
    public func point(genes: [Int]) -> DesignPoint {
        var p = base
        for (k, g) in zip(knobs.indices, genes) { p.set(knobs[k], values[k][g]) }
        return p
    }

    /// Knob-value indices of an index in `0..<count` (`IndexedSpace`'s digits).
    public func genes(at index: Int) -> [Int] { IndexedSpace(radices: radices).digits(at: index) }

    /// The point at an index, decoded without allocating (the exhaustive search's hot path).
    @inline(__always)
    public func point(at index: Int) -> DesignPoint {
        var p = base
        IndexedSpace.forEachDigit(of: index, radices: values.lazy.map(\.count)) { k, g in p.set(knobs[k], values[k][g]) }
        return p
    }
}

/// The union of the spec's template spaces: an `IndexedSpace` whose parts are the templates.
public struct DesignSpace: Hashable, Sendable {
    public let templates: [TemplateSpace]
    /// The flat indexing over all templates, in spec order.
    public let indexed: IndexedSpace
    public init(_ templates: [TemplateSpace]) {
        self.templates = templates
        self.indexed = IndexedSpace(parts: templates.map(\.radices))
    }

    public var count: Int { indexed.count }

    /// The design at a flat index over all templates, in spec order.
    @inline(__always)
    public func point(at index: Int) -> DesignPoint {
        let (t, local) = indexed.locate(index)
        return templates[t].point(at: local)
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
