import IntarsiaCore
import IntarsiaExplore

/// A finite neural search space: an architecture is one value per choice (its digits, choice 0
/// first), numbered 0..<count. The co-exploration prices every architecture of a task's space on
/// every distinct sub-accelerator, so a space is kept small enough to enumerate
/// (`ArchitectureSpaceLimits.maximumCount`).
public protocol ArchitectureSpace: Sendable {
    /// A short name for reports ("nb201", "resnet9-like", a user's space name).
    var name: String { get }
    /// Per choice, how many values it has (NAS-Bench-201: six edges of five operations).
    var radices: [Int] { get }
    /// The number of architectures.
    var count: Int { get }
    /// The choice values (as indices into each choice's values) of architecture `index`.
    func digits(_ index: Int) -> [Int]
    /// The architecture with these choice values.
    func index(_ digits: [Int]) -> Int
    /// The architecture as text: what an oracle command receives, what the designs CSV shows, and
    /// the key of a table oracle (NAS-Bench-201: the cell string).
    func architectureString(_ index: Int) -> String
    /// The architecture's network as a task graph for the hardware cost models.
    func workload(_ index: Int, dataType: DataType) throws -> Workload
}

public enum ArchitectureSpaceLimits {
    /// The most architectures a space may have (each is priced on every sub-accelerator).
    public static let maximumCount = 1 << 20
}

extension ArchitectureSpace {
    /// The architectures one choice away from `index`: choice by choice, each set to each of its
    /// other values counting up from the current one (value + 1, + 2, ... modulo the choice's
    /// size); the kernel's neighbours (`IndexedSpace.forEachNeighbour`) under this space's
    /// numbering.
    public func neighbours(of index: Int) -> [Int] {
        var out: [Int] = []
        IndexedSpace.forEachNeighbour(of: digits(index), radices: radices) { out.append(self.index($0)) }
        return out
    }

    /// How many neighbours every architecture has (the sum over choices of their sizes less one).
    public var neighbourCount: Int { radices.reduce(0) { $0 + max($1 - 1, 0) } }

    /// One choice of `index` set to another of its values, uniformly (choice first, then value).
    public func mutate(_ index: Int, _ rng: inout SplitMix64) -> Int {
        guard !radices.isEmpty else { return index }
        var d = digits(index)
        let k = rng.below(radices.count)
        guard radices[k] > 1 else { return index }
        d[k] = (d[k] + 1 + rng.below(radices[k] - 1)) % radices[k]
        return self.index(d)
    }
}

/// Numbering of digit vectors, choice 0 least significant: the kernel's `IndexedSpace` of one
/// part under the names the architecture spaces use.
public struct MixedRadix: Hashable, Sendable {
    public let numbering: IndexedSpace
    public var radices: [Int] { numbering.parts[0] }
    public var count: Int { numbering.count }
    public init(_ radices: [Int]) { numbering = IndexedSpace(radices: radices) }
    public func digits(_ index: Int) -> [Int] { numbering.digits(at: index) }
    public func index(_ digits: [Int]) -> Int { numbering.encode(digits) }
}
