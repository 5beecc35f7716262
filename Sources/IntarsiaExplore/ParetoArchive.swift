/// The non-dominated feasible points seen so far, in the order they joined. A point equal to a
/// member in every objective does not join (the first one seen stays), so the front is
/// deterministic for a deterministic order of offers.
public struct ParetoArchive<Member: Scored> {
    /// Inlinable (with `Dominance`), so that a caller's archive is specialised to its member
    /// type: unspecialised, every objective read was a witness call (the NAS exact method's
    /// pruning took twice as long as its hand-written loop).
    @usableFromInline var storage: [Member] = []
    public var members: [Member] { storage }

    public init() {}

    /// Offers a point; returns whether it joined the front.
    @inlinable @discardableResult
    public mutating func offer(_ d: Member) -> Bool {
        guard d.feasible else { return false }
        var dropsMembers = false
        for m in storage {
            if Dominance.weaklyDominates(m, d) { return false }
            if !dropsMembers && Dominance.objectivesDominate(d, m) { dropsMembers = true }
        }
        if dropsMembers { storage.removeAll { Dominance.objectivesDominate(d, $0) } }
        storage.append(d)
        return true
    }
}

extension ParetoArchive: Sendable where Member: Sendable {}
