import Foundation

/// Result-file fields appended straight to a byte buffer as UTF-8: the CSV writer formats millions
/// of fields, and a `String` per field (then joined into a line) cost more than evaluating the
/// designs did. Each function writes exactly the text `Figures` returns for the same value
/// (`Figures` is built on these), so every format reads the same.
public enum FieldBytes {
    /// `v` in decimal, as `String(v)` writes it.
    @inlinable public static func appendInt(_ v: Int, to out: inout some ByteOutput) { appendInt(Int64(v), to: &out) }

    /// `v` in decimal, as `String(v)` writes it.
    @inlinable public static func appendInt(_ v: Int64, to out: inout some ByteOutput) {
        if v < 0 { out.appendByte(0x2D) }
        // The magnitude as unsigned, so that Int64.min has one too.
        appendDigits(v.magnitude, to: &out)
    }

    /// The decimal digits of `u`, most significant first: written from the last into a stack
    /// buffer (20 bytes, the most digits a UInt64 has), two at a time from `digitPairs` (one
    /// division by 100 per pair instead of one by 10 per digit), then appended at once.
    @inlinable static func appendDigits(_ u: UInt64, to out: inout some ByteOutput) {
        if u < 10 { out.appendByte(0x30 &+ UInt8(u)); return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { b in
            let pairs = digitPairs.utf8Start
            var u = u, k = 20
            while u >= 100 {
                let r = Int(u % 100) &* 2
                u /= 100
                k -= 2
                b[k] = pairs[r]
                b[k + 1] = pairs[r + 1]
            }
            if u >= 10 {
                k -= 2
                b[k] = pairs[Int(u) &* 2]
                b[k + 1] = pairs[Int(u) &* 2 + 1]
            } else {
                k -= 1
                b[k] = 0x30 &+ UInt8(u)
            }
            out.appendBytes(UnsafeBufferPointer(rebasing: b[k..<20]))
        }
    }

    /// "00", "01", ... "99" back to back: the two digits of n at 2n and 2n + 1.
    @usableFromInline static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// The text's UTF-8 bytes, unquoted (a line's writer quotes a field that needs it).
    @inlinable public static func appendText(_ s: String, to out: inout some ByteOutput) {
        var s = s
        s.withUTF8 { out.appendBytes($0) }
    }

    /// `true` or `false`.
    @inlinable public static func appendFlag(_ b: Bool, to out: inout some ByteOutput) {
        let s: StaticString = b ? "true" : "false"
        out.appendBytes(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// A whole number without a fraction; anything else to 6 significant digits (`Figures.number`).
    @inlinable public static func appendNumber(_ x: Double, to out: inout some ByteOutput) {
        if x == x.rounded() && abs(x) < 1e15 { appendInt(Int64(x), to: &out); return }
        appendSignificant(x, 6, to: &out)
    }

    /// Exact powers of ten: 10^k for k up to 22 is a double without rounding (10^22 < 2^53 · 2^22
    /// and 5^22 < 2^53), so `pow(10, k)` returns these very values.
    @usableFromInline static let exactPowersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// `x` rounded to `digits` significant digits, in the shortest decimal that reads back as that
    /// value: the text of `Figures.significant`, which is `String(Int64(r))` for a whole `r` below
    /// 10^15 and Swift's shortest round-trip `String(r)` otherwise.
    ///
    /// Without a `String` where the rounded value is m / 10^k with 0 ≤ k ≤ 22 and |m| < 2^53:
    /// both are then exact doubles, so their quotient r is the double nearest to the decimal
    /// m·10^-k, and no other decimal of at most 15 significant digits is nearest to r (DBL_DIG =
    /// 15): the shortest round-trip text of r is m·10^-k itself, without trailing zeros. Swift
    /// writes it in positional notation from 10^-4 on (below, `1e-05`), the only other case, which
    /// goes through `String(r)`.
    @inlinable public static func appendSignificant(_ x: Double, _ digits: Int, to out: inout some ByteOutput) {
        guard x.isFinite, x != 0 else { appendText(x == 0 ? "0" : String(x), to: &out); return }
        // The same arithmetic as ever, so that r is the same double.
        let exponent = Int((log10(abs(x))).rounded(.down))
        let k = digits - 1 - exponent
        let scale = k >= 0 && k <= 22 ? exactPowersOfTen[k] : pow(10, Double(k))
        let m = (x * scale).rounded()
        let r = m / scale
        if r == r.rounded() && abs(r) < 1e15 { appendInt(Int64(r), to: &out); return }
        guard k >= 0 && k <= 22 && abs(m) < 0x1p53 && abs(r) >= 1e-4 else { appendText(String(r), to: &out); return }
        appendPositional(UInt64(abs(m)), decimals: k, negative: m < 0, to: &out)
    }

    /// u·10^-decimals in positional notation without trailing fraction zeros (u is not a whole
    /// multiple of 10^decimals, so a fraction digit stays): "0.0012", "12.5". Written into a stack
    /// buffer (at most 1 + 16 + 1 + 22 bytes: a sign, u < 2^53 has 16 digits, the point, 22
    /// decimals) and appended at once.
    @inlinable static func appendPositional(_ u: UInt64, decimals: Int, negative: Bool, to out: inout some ByteOutput) {
        var u = u, decimals = decimals
        while decimals > 0 && u % 10 == 0 { u /= 10; decimals -= 1 }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { b in
            // The digits of u from the last, the point placed `decimals` digits from the end, and
            // zeros up to the units place ("0.0012": u = 12, four decimals).
            var k = 48, placed = 0
            while u > 0 || placed <= decimals {
                if placed == decimals && placed > 0 { k -= 1; b[k] = 0x2E }
                k -= 1
                b[k] = 0x30 &+ UInt8(u % 10)
                u /= 10
                placed += 1
            }
            if negative { k -= 1; b[k] = 0x2D }
            out.appendBytes(UnsafeBufferPointer(rebasing: b[k..<48]))
        }
    }
}
