import IntarsiaExplore
import IntarsiaFPGA

/// `DesignSpace.point(at:)` with each template's radices, knobs and values read once: the same
/// point for every index (tests), without the per-call generic map over the value lists that
/// made point generation cost as much as evaluation in a large exhaustive search.
public struct PointDecoder: Sendable {
    struct Part: Sendable {
        let base: DesignPoint
        /// Each knob's values, parsed once (`settings[k][g]`: knob k's value g).
        let settings: [[KnobSetting]]
        let radices: [Int]
    }

    let parts: [Part]
    let indexed: IndexedSpace

    public init(_ space: DesignSpace) {
        parts = space.templates.map { t in
            Part(base: t.base, settings: zip(t.knobs, t.values).map { k, vs in vs.map { KnobSetting(k, $0) } }, radices: t.radices)
        }
        indexed = space.indexed
    }

    /// The design at a flat index over all templates, in spec order.
    public func point(at index: Int) -> DesignPoint {
        let (t, local) = indexed.locate(index)
        let part = parts[t]
        var p = part.base
        IndexedSpace.forEachDigit(of: local, radices: part.radices) { k, g in p.apply(part.settings[k][g]) }
        return p
    }
}
