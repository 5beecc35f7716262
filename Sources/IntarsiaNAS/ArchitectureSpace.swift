import IntarsiaCore

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
    /// The architectures one choice away from `index` (each choice set to each of its other
    /// values), choices in order.
    public func neighbours(of index: Int) -> [Int] {
        let d = digits(index)
        var out: [Int] = []
        for (k, r) in radices.enumerated() {
            for v in 0..<r where v != d[k] {
                var e = d
                e[k] = v
                out.append(self.index(e))
            }
        }
        return out
    }
}

/// Mixed-radix numbering of digit vectors, choice 0 least significant.
public struct MixedRadix: Hashable, Sendable {
    public let radices: [Int]
    public let count: Int
    public init(_ radices: [Int]) {
        self.radices = radices
        self.count = radices.reduce(1, *)
    }
    public func digits(_ index: Int) -> [Int] {
        var k = index
        return radices.map { r in let d = k % r; k /= r; return d }
    }
    public func index(_ digits: [Int]) -> Int {
        var code = 0
        for (d, r) in zip(digits, radices).reversed() { code = code * r + d }
        return code
    }
}
