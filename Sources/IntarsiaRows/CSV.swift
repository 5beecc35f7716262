import Foundation

/// CSV quoting (RFC 4180): quote fields with commas, quotes or line breaks.
public enum CSV {
    public static func field(_ s: String) -> String {
        // By bytes, not characters: quick, and a comma or line break is found even where it
        // starts a grapheme cluster ("\r\n", a comma with a combining mark).
        if s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    public static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }

    /// `line(fields)` and a newline, appended as UTF-8 bytes (no intermediate strings for the
    /// fields that need no quotes: the CSV writer formats millions of them).
    public static func appendLine(_ fields: [String], to out: inout [UInt8]) {
        for (k, f) in fields.enumerated() {
            if k > 0 { out.append(0x2C) }
            let start = out.count
            FieldBytes.appendText(f, to: &out)
            quoteInPlace(&out, from: start)
        }
        out.append(0x0A)
    }

    /// Quotes the field that `out` holds from `start` on, if it has a comma, quote or line break
    /// (as `field` does): a byte scan for the fields that need none, nearly all of them.
    @inlinable public static func quoteInPlace(_ out: inout some ByteOutput, from start: Int) {
        if isPlain(out, from: start) { return }
        let text = out.withBytes(from: start) { String(decoding: $0, as: UTF8.self) }
        out.removeBytes(from: start)
        FieldBytes.appendText(field(text), to: &out)
    }

    /// Whether `out` from `start` on holds no comma, quote or line break (needs no quotes).
    @inlinable public static func isPlain(_ out: some ByteOutput, from start: Int) -> Bool {
        out.withBytes(from: start) { b in
            var k = 0
            while k < b.count { let c = b[k]; if c == 0x2C || c == 0x22 || c == 0x0A || c == 0x0D { return false }; k += 1 }
            return true
        }
    }

    /// Parses CSV text into rows of fields (RFC 4180 quoting).
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var it = Array(text.unicodeScalars)[...]
        while let c = it.popFirst() {
            if quoted {
                if c == "\"" {
                    if it.first == "\"" { field.unicodeScalars.append("\""); it.removeFirst() } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else {
                switch c {
                case "\"": quoted = true
                case ",": row.append(field); field = ""
                case "\n":
                    row.append(field); field = ""
                    rows.append(row); row = []
                case "\r": break
                default: field.unicodeScalars.append(c)
                }
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
