import Foundation

/// How result files write numbers: one place for every column's formatting, so that a figure
/// written by two commands reads the same.
public enum Figures {
    /// `x` rounded to `digits` significant digits, in the shortest decimal that reads back as that
    /// value (no `String(format:)`: the CSV writer formats millions of fields).
    public static func significant(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite, x != 0 else { return x == 0 ? "0" : String(x) }
        let exponent = Int((log10(abs(x))).rounded(.down))
        let scale = pow(10, Double(digits - 1 - exponent))
        let r = (x * scale).rounded() / scale
        if r == r.rounded() && abs(r) < 1e15 { return String(Int64(r)) }
        return String(r)
    }

    /// A whole number without a fraction; anything else to 6 significant digits.
    public static func number(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return significant(x, 6)
    }

    /// `x` with exactly `places` decimals (`%.Nf`).
    public static func fixed(_ x: Double, _ places: Int) -> String { String(format: "%.\(places)f", x) }

    /// `true` or `false`.
    public static func flag(_ b: Bool) -> String { b ? "true" : "false" }
}
