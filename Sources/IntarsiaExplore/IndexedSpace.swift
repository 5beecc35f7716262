/// The one mixed-radix indexing of a design space: a union of parts, each the cartesian product
/// of its digits' ranges (`radices`). A point is a flat index in `0..<count`: the parts in order,
/// and within a part digit 0 varies fastest (index = d0 + r0 * (d1 + r1 * (d2 + ...))). An FPGA
/// spec's templates are the parts of its space; an ASIC space is one part whose digits are the
/// knobs of each sub-accelerator in turn.
public struct IndexedSpace: Hashable, Sendable {
    /// Each part's digit ranges (a range of 0 counts as 1, so an empty list still has a point).
    public let parts: [[Int]]
    /// Points per part.
    public let partCounts: [Int]

    public init(parts: [[Int]]) {
        self.parts = parts.map { $0.map { max($0, 1) } }
        self.partCounts = self.parts.map { $0.reduce(1, *) }
    }

    /// A space of one part.
    public init(radices: [Int]) { self.init(parts: [radices]) }

    public var count: Int { partCounts.reduce(0, +) }

    /// The part an index falls in and the index within that part.
    @inline(__always)
    public func locate(_ index: Int) -> (part: Int, local: Int) {
        var i = index
        for (p, n) in partCounts.enumerated() {
            if i < n { return (p, i) }
            i -= n
        }
        preconditionFailure("index \(index) outside a space of \(count) points")
    }

    /// Calls `body(k, digit)` for every digit of `index`, digit 0 first, without allocating;
    /// returns the part.
    @discardableResult @inline(__always)
    public func forEachDigit(of index: Int, _ body: (_ k: Int, _ digit: Int) -> Void) -> Int {
        let (p, local) = locate(index)
        Self.forEachDigit(of: local, radices: parts[p], body)
        return p
    }

    /// The mixed-radix decoding itself: `body(k, digit)` for every digit of `local` in a part
    /// with these radices (a radix of 0 counts as 1). Inlinable, so that each caller specializes
    /// it for its collection and closure (generic across modules, it iterated the radices through
    /// protocol witnesses: a third of an exhaustive search's instructions).
    @inlinable @inline(__always)
    public static func forEachDigit<R: Collection<Int>>(of local: Int, radices: R, _ body: (_ k: Int, _ digit: Int) -> Void) {
        var rest = local
        var k = 0
        for r in radices {
            let r1 = max(r, 1)
            body(k, rest % r1)
            rest /= r1
            k += 1
        }
    }

    /// The part and digits of `index`.
    public func decode(_ index: Int) -> (part: Int, digits: [Int]) {
        var digits: [Int] = []
        let p = forEachDigit(of: index) { _, d in digits.append(d) }
        return (p, digits)
    }

    /// The digits of an index of a one-part space (or of any part).
    public func digits(at index: Int) -> [Int] { decode(index).digits }

    /// The flat index of `digits` in `part`.
    public func encode(part: Int = 0, _ digits: [Int]) -> Int {
        var local = 0
        for k in digits.indices.reversed() { local = local * parts[part][k] + digits[k] }
        return partCounts[..<part].reduce(0, +) + local
    }

    /// The points that differ from `index` in one digit (same part): digit by digit, each set
    /// to each of its other values counting up from the current one (value + 1, + 2, ... modulo
    /// the radix), the order the NAS local search probes them in.
    public func neighbours(of index: Int) -> [Int] {
        let (p, digits) = decode(index)
        var out: [Int] = []
        Self.forEachNeighbour(of: digits, radices: parts[p]) { out.append(encode(part: p, $0)) }
        return out
    }

    /// The one neighbour definition, on digits: `body` gets each digit vector that differs from
    /// `digits` in one digit, in `neighbours` order (a radix of 0 counts as 1). Spaces numbered
    /// their own way (`ArchitectureSpace`) map the digits to their indices.
    public static func forEachNeighbour(of digits: [Int], radices: [Int], _ body: ([Int]) -> Void) {
        for (k, r) in radices.enumerated() {
            for j in 1..<max(r, 1) {
                var d = digits
                d[k] = (digits[k] + j) % r
                body(d)
            }
        }
    }
}
