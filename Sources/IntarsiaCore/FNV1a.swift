/// FNV-1a, 64 bits (Fowler, Noll and Vo; offset basis 0xcbf29ce484222325, prime 0x100000001b3,
/// from the authors' reference at isthe.com/chongo/tech/comp/fnv): fingerprints of spec texts and
/// emitted projects (not for security).
public struct FNV1a: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public init(_ text: String) { add(text) }

    public mutating func add(_ text: String) {
        for b in text.utf8 { value = (value ^ UInt64(b)) &* 0x100_0000_01b3 }
    }

    /// Hexadecimal without leading zeros (the search checkpoints' and run records' format).
    public var hex: String { String(value, radix: 16) }

    /// Hexadecimal, 16 digits (the NAS checkpoints' and HLS projects' format).
    public var hex16: String {
        let h = hex
        return String(repeating: "0", count: 16 - h.count) + h
    }
}
