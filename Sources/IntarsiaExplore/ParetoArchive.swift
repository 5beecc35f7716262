/// The non-dominated feasible points seen so far, in the order they joined. A point equal to a
/// member in every objective does not join (the first one seen stays), so the front is
/// deterministic for a deterministic order of offers.
public struct ParetoArchive<Member: Scored> {
    public private(set) var members: [Member] = []

    public init() {}

    /// Offers a point; returns whether it joined the front.
    @discardableResult
    public mutating func offer(_ d: Member) -> Bool {
        guard d.feasible else { return false }
        for m in members where Dominance.objectivesDominate(m, d) || Dominance.ties(m, d) { return false }
        members.removeAll { Dominance.objectivesDominate(d, $0) }
        members.append(d)
        return true
    }
}

extension ParetoArchive: Sendable where Member: Sendable {}
