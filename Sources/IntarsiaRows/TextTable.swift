/// Renders rows as an aligned plain-text table for terminals.
public enum TextTable {
    public static func render(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, f) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], f.count) } }
        func line(_ r: [String]) -> String {
            r.enumerated().map { i, f in
                let pad = String(repeating: " ", count: max(0, widths[i] - f.count))
                return i == 0 ? f + pad : pad + f
            }.joined(separator: "  ")
        }
        var out = line(header) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }
}
