import IntarsiaCore

/// A two's-complement number format as emitted: `bits` wide, a raw integer `r` meaning
/// `r / 2^frac`. Integer formats (`intN`) are emitted as `ap_int<N>` and read with
/// `frac = N/2` fraction bits where a scale matters (requantisation after a MAC, non-linear
/// functions); `fixed<W,F>` is emitted as `ap_fixed<W, W-F, AP_RND, AP_SAT>`.
public struct NumberFormat: Hashable, Sendable, CustomStringConvertible {
    public var bits: Int
    public var frac: Int
    /// `ap_fixed` (true) or `ap_int` (false).
    public var isFixedPoint: Bool

    public init(bits: Int, frac: Int, isFixedPoint: Bool) {
        self.bits = bits
        self.frac = frac
        self.isFixedPoint = isFixedPoint
    }

    /// The emitted format of a data type; nil for floating-point types (not emitted).
    public init?(_ t: DataType) {
        switch t {
        case .int4, .int8, .int16: self.init(bits: t.bits, frac: t.bits / 2, isFixedPoint: false)
        case let .fixed(w, f): self.init(bits: w, frac: f, isFixedPoint: true)
        case .fp16, .bf16, .fp32: return nil
        }
    }

    public static let emittedNames = "int4, int8, int16 and fixed<W,F> (floating-point types are not emitted yet)"

    public var minRaw: Int64 { -(Int64(1) << (bits - 1)) }
    public var maxRaw: Int64 { (Int64(1) << (bits - 1)) - 1 }

    /// The C++ type.
    public var cppType: String {
        isFixedPoint ? "ap_fixed<\(bits), \(bits - frac), AP_RND, AP_SAT>" : "ap_int<\(bits)>"
    }

    public var description: String { isFixedPoint ? "fixed<\(bits),\(frac)>" : "int\(bits)" }
}

/// Bits needed to hold `n` distinct values (ceil(log2 n)), 0 for n ≤ 1.
func ceilLog2(_ n: Int) -> Int {
    var b = 0
    while (1 << b) < n { b += 1 }
    return b
}
