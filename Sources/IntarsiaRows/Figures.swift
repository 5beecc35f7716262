import Foundation

/// How result files write numbers: one place for every column's formatting, so that a figure
/// written by two commands reads the same.
public enum Figures {
    /// `x` rounded to `digits` significant digits, in the shortest decimal that reads back as that
    /// value (`FieldBytes.appendSignificant`, which the CSV writer calls without a `String`).
    public static func significant(_ x: Double, _ digits: Int) -> String {
        text { FieldBytes.appendSignificant(x, digits, to: &$0) }
    }

    /// A whole number without a fraction; anything else to 6 significant digits.
    public static func number(_ x: Double) -> String { text { FieldBytes.appendNumber(x, to: &$0) } }

    /// The text a `FieldBytes` writer appends.
    public static func text(_ write: (inout [UInt8]) -> Void) -> String {
        var bytes: [UInt8] = []
        write(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `x` with exactly `places` decimals (`%.Nf`).
    public static func fixed(_ x: Double, _ places: Int) -> String { String(format: "%.\(places)f", x) }

    /// `true` or `false`.
    public static func flag(_ b: Bool) -> String { b ? "true" : "false" }
}
